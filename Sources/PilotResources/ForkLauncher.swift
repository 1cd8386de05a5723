import Glibc
import PilotModel
import PilotSystem

/// Runs the agent as a local process: the `fork://localhost` adaptor.
/// The agent gets its own process group (so a Ctrl-C at the user's
/// terminal does not reach it); a dedicated thread waits for its exit.
package struct ForkLauncher: PilotLauncher {
    /// Creates the launcher.
    package init() {}

    /// Creates the working directory, so a bad one fails before the pilot exists.
    package func prepare(_ description: PilotDescription) throws(PilotError) {
        if let problem = FileSystem.makeDirectories(description.workingDirectory) {
            throw PilotError(.invalidArgument, "pilot compute description key 'working_directory': \(problem); choose a directory you can write")
        }
    }

    package func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot {
        let base = request.description.workingDirectory
        let sandbox = request.bootstrap.sandbox
        let bootstrapPath = try request.writeBootstrap(resource: "fork://localhost")
        do {
            return try Self.watch(
                [request.agentExecutable, "--bootstrap", bootstrapPath], in: sandbox, logs: base, request: request,
                resource: "fork://localhost", ended: observer.ended)
        } catch {
            unlink(bootstrapPath)
            throw error
        }
    }

    /// Starts `arguments` (the agent, or what starts it elsewhere) as a
    /// local process in its own process group, with the agent's log files,
    /// and a thread that reports its exit through `ended`.
    static func watch(_ arguments: [String], in directory: String, logs: String, request: AgentLaunch, resource: String,
                      ended: @escaping @Sendable (JobEnd) -> Void) throws(PilotError) -> ForkPilot {
        let spawn = ProcessSpawner.spawn(SpawnRequest(
            arguments: arguments, environment: Environment.current(), workingDirectory: directory, input: nil,
            output: logs + "/stdout-\(request.pilotID)-agent.txt", error: logs + "/stderr-\(request.pilotID)-agent.txt"))
        let pid: pid_t
        switch spawn {
        case .success(let started): pid = started
        case .failure(let failure):
            throw PilotError(.backend, "\(resource): cannot start \(arguments.first ?? ""): \(failure.reason)")
        }
        let started = startThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            ended(describe(ExitStatus(waitStatus: status), pid: pid, resource: resource))
        }
        if !started {
            ProcessSpawner.signalGroup(pid, SIGKILL)
            throw PilotError(.internal, "\(resource): cannot start a thread to watch the agent")
        }
        return ForkPilot(pid: pid, pilotID: nil)
    }

    package func reattach(nativeID: String, pilotID: String) -> LaunchedPilot? {
        guard let pid = pid_t(nativeID), pid > 1 else { return nil }
        return ForkPilot(pid: pid, pilotID: pilotID)
    }

    private static func describe(_ status: ExitStatus, pid: pid_t, resource: String) -> JobEnd {
        switch status {
        case .exited(0): JobEnd(reason: "\(resource): agent process \(pid) exited", succeeded: true)
        case .exited(let code): JobEnd(reason: "\(resource): agent process \(pid) exited with status \(code)", succeeded: false)
        case .signaled(let signal): JobEnd(reason: "\(resource): agent process \(pid) was killed by signal \(signal)", succeeded: false)
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
        if pilotID != nil, agentHasExited { return }
        ProcessSpawner.signalGroup(pid, SIGKILL)
    }

    /// For an agent started by an earlier coordinator: no process `pid`
    /// runs this pilot's agent any more (its command line names the pilot).
    var agentHasExited: Bool {
        guard let pilotID else { return false }
        return FileSystem.read("/proc/\(pid)/cmdline")?.contains(pilotID) != true
    }

    func killOrphanedUnits(processGroups: [Int32]) {
        for group in processGroups { ProcessSpawner.signalGroup(group, SIGKILL) }
    }
}
