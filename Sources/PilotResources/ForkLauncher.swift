import Glibc
import PilotModel
import PilotSystem

/// Runs the agent as a local process: the `fork://localhost` adaptor.
/// The agent gets its own process group (so a Ctrl-C at the user's
/// terminal does not reach it); a dedicated thread waits for its exit.
public struct ForkLauncher: PilotLauncher {
    /// Creates the launcher.
    public init() {}

    /// Creates the working directory, so a bad one fails before the pilot exists.
    public func prepare(_ description: PilotDescription) throws(PilotError) {
        if let problem = FileSystem.makeDirectories(description.workingDirectory) {
            throw PilotError(.invalidArgument, "pilot compute description key 'working_directory': \(problem); choose a directory you can write")
        }
    }

    public func launch(_ request: AgentLaunch, ended: @escaping @Sendable (JobEnd) -> Void) throws(PilotError) -> LaunchedPilot {
        let base = request.description.workingDirectory
        let sandbox = request.bootstrap.sandbox
        if let problem = FileSystem.makeDirectories(sandbox) {
            throw PilotError(.invalidArgument, "pilot compute description key 'working_directory': \(problem); choose a directory you can write")
        }
        let bootstrapPath = sandbox + "/agent-bootstrap.json"
        if let problem = FileSystem.write(JSONText.render(request.bootstrap), to: bootstrapPath, mode: 0o600) {
            throw PilotError(.backend, "fork://localhost: \(problem)")
        }
        let spawn = ProcessSpawner.spawn(SpawnRequest(
            arguments: [request.agentExecutable, "--bootstrap", bootstrapPath],
            environment: Command.currentEnvironment(),
            workingDirectory: sandbox,
            input: nil,
            output: base + "/stdout-\(request.pilotID)-agent.txt",
            error: base + "/stderr-\(request.pilotID)-agent.txt"))
        let pid: pid_t
        switch spawn {
        case .success(let started): pid = started
        case .failure(let failure):
            unlink(bootstrapPath)
            throw PilotError(.backend, "fork://localhost: cannot start the agent \(request.agentExecutable): \(failure.reason)")
        }
        let started = startThread {
            var status: Int32 = 0
            var result: pid_t
            repeat {
                result = waitpid(pid, &status, 0)
            } while result < 0 && errno == EINTR
            ended(Self.describe(ExitStatus(waitStatus: status), pid: pid))
        }
        if !started {
            kill(-pid, SIGKILL)
            throw PilotError(.internal, "fork://localhost: cannot start a thread to watch the agent")
        }
        return ForkPilot(pid: pid, pilotID: nil)
    }

    public func reattach(nativeID: String, pilotID: String) -> LaunchedPilot? {
        guard let pid = pid_t(nativeID), pid > 1 else { return nil }
        return ForkPilot(pid: pid, pilotID: pilotID)
    }

    private static func describe(_ status: ExitStatus, pid: pid_t) -> JobEnd {
        switch status {
        case .exited(0): JobEnd(reason: "fork://localhost: agent process \(pid) exited", succeeded: true)
        case .exited(let code): JobEnd(reason: "fork://localhost: agent process \(pid) exited with status \(code)", succeeded: false)
        case .signaled(let signal): JobEnd(reason: "fork://localhost: agent process \(pid) was killed by signal \(signal)", succeeded: false)
        }
    }
}

/// A running fork pilot: the agent's pid, which is also its process group.
struct ForkPilot: LaunchedPilot {
    let pid: pid_t
    /// Set for an agent this process did not start (so cannot reap): the pid
    /// is signalled only while it still runs this pilot's agent, never a
    /// process that reused the number.
    let pilotID: String?

    var nativeID: String { String(pid) }

    func terminate() {
        if let pilotID {
            guard let commandLine = FileSystem.read("/proc/\(pid)/cmdline"), commandLine.contains(pilotID) else { return }
        }
        ProcessSpawner.signalGroup(pid, SIGKILL)
    }

    func killOrphanedUnits(processGroups: [Int32]) {
        for group in processGroups { ProcessSpawner.signalGroup(group, SIGKILL) }
    }
}
