import PilotModel
import PilotSystem

/// The agent runs on an `ssh://[user@]host[:port]` host under one ssh
/// connection. It links to the coordinator's network address (the one the
/// ssh connection came from first); the coordinator's socket is also
/// forwarded to a socket in the remote sandbox, its way back when the
/// network does not reach. The bootstrap goes over ssh's stdin into a 0600 file; when the
/// host has no `pilot-agent` at the local path, the binary is copied into
/// the sandbox first. The job is the local ssh process; its logs stay on
/// this side. Authentication is the user's ssh setup (BatchMode: no prompts).
package struct SshPlacement: AgentPlacement {
    /// Where the agent runs.
    let url: ServiceURL

    private var ssh: SshCommand { SshCommand(url: url) }
    /// Commands run on the host.
    private var commands: HostCommands { HostCommands(resource: url.text, login: ssh) }

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        _ = try commands.run(["mkdir", "-p", description.workingDirectory])
    }

    package func job(for request: AgentLaunch) throws(PilotError) -> JobDescription {
        let sandbox = request.bootstrap.sandbox
        let quotedSandbox = ShellLine.quoted(sandbox)
        var bootstrap = request.bootstrap
        bootstrap.socketPath = sandbox + "/coordinator.sock"
        _ = try commands.run(["sh", "-c", "umask 077 && mkdir -p \(quotedSandbox) && cat > \(ShellLine.quoted(request.bootstrapPath))"],
                             input: JSONText.render(bootstrap))
        let agent = try stagedAgent(request.agentExecutable, sandbox: sandbox)
        let logs = request.description.workingDirectory
        if let problem = FileSystem.makeDirectories(logs) {
            throw PilotError(.invalidArgument, "\(url.text): cannot keep the agent's logs in \(logs): \(problem)")
        }
        let tunnel = ["-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes",
                      "-R", "\(bootstrap.socketPath):\(request.bootstrap.socketPath)"]
        let remote = "cd \(quotedSandbox) && exec \(ShellLine.quoted(agent)) --bootstrap \(ShellLine.quoted(request.bootstrapPath))"
        let arguments = ssh.arguments(extra: tunnel) + [remote]
        var job = JobDescription(executable: arguments[0], arguments: Array(arguments.dropFirst()))
        job.name = request.pilotID
        job.workingDirectory = logs
        job.output = request.logPath("stdout")
        job.error = request.logPath("stderr")
        return job
    }

    /// The agent's path on the host: the local one if it is there, else a
    /// copy made in the sandbox.
    private func stagedAgent(_ local: String, sandbox: String) throws(PilotError) -> String {
        if case .success(let result) = commands.result(["test", "-x", local]), result.succeeded {
            return local
        }
        let copy = sandbox + "/pilot-agent"
        _ = try HostCommands(resource: url.text).run(ssh.copy(local, to: copy))
        return copy
    }

    package func discard(_ request: AgentLaunch) {
        _ = commands.result(["sh", "-c", "rm -f \(ShellLine.quoted(request.bootstrapPath)) && rmdir \(ShellLine.quoted(request.bootstrap.sandbox))"])
    }

    /// Units run on the host: their orphaned process groups die there.
    package func placed(_ pilot: LaunchedPilot) -> LaunchedPilot {
        RemoteUnitsPilot(job: pilot, commands: commands)
    }

    /// The agent links over the network, the forwarded socket its fallback.
    package var linksOverNetwork: Bool { true }

    /// The ssh process belonged to the coordinator that ran before; its
    /// agent links again by itself or not at all.
    package var reattaches: Bool { false }
}

/// A pilot job whose units run on another host, reached over ssh.
struct RemoteUnitsPilot: LaunchedPilot {
    let job: LaunchedPilot
    let commands: HostCommands

    var nativeID: String { job.nativeID }
    var reportsEnd: Bool { job.reportsEnd }
    var agentHasExited: Bool { job.agentHasExited }

    func terminate() {
        job.terminate()
    }

    func killOrphanedUnits(processGroups: [Int32]) {
        guard !processGroups.isEmpty else { return }
        _ = commands.result(["kill", "-s", "KILL", "--"] + processGroups.map { "-\($0)" })
    }
}
