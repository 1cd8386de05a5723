import Glibc
import PilotModel
import PilotSystem

/// The agent runs on an `ssh://[user@]host[:port]` host under one ssh
/// connection. It links to the coordinator's network address (the one the
/// ssh connection came from first), encrypted (`SecureLinkHandler`). The bootstrap goes over ssh's stdin into a 0600
/// file; when the host has no `pilot-agent` at the local path, the binary
/// is staged in `~/.cache/pilot` (`RemoteAgentFiles`). The job is the local ssh process; its logs stay on
/// this side. Authentication is the user's ssh setup (BatchMode: no prompts).
package struct SshPlacement: AgentPlacement {
    /// Where the agent runs.
    let url: ServiceURL

    private var files: RemoteAgentFiles { RemoteAgentFiles(url: url) }

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        try files.prepare(description)
    }

    package func job(for request: AgentLaunch) throws(PilotError) -> JobDescription {
        let sandbox = request.bootstrap.sandbox
        // This host's socket is not there: the agent links over the network only.
        var bootstrap = request.bootstrap
        bootstrap.socketPath = ""
        try files.writeBootstrap(bootstrap, for: request)
        // A relative path is under the home directory, for scp and for the shell.
        let staged = try files.stage(request.agentExecutable, in: ".cache/pilot")
        let agent = staged.hasPrefix("/") ? ShellLine.quoted(staged) : "\"$HOME\"/" + ShellLine.quoted(staged)
        let logs = request.description.workingDirectory
        if let problem = FileSystem.makeDirectories(logs) {
            throw PilotError(.invalidArgument, "\(url.text): cannot keep the agent's logs in \(logs): \(problem)")
        }
        let remote = "cd \(ShellLine.quoted(sandbox)) && exec \(agent) --bootstrap \(ShellLine.quoted(request.bootstrapPath))"
        let arguments = files.ssh.arguments() + [remote]
        var job = JobDescription(executable: arguments[0], arguments: Array(arguments.dropFirst()))
        job.name = request.pilotID
        job.workingDirectory = logs
        job.output = request.logPath("stdout")
        job.error = request.logPath("stderr")
        return job
    }

    package func discard(_ request: AgentLaunch) {
        files.discard(request)
    }

    /// Units run on the host: their orphaned process groups die there.
    package func placed(_ pilot: LaunchedPilot) -> LaunchedPilot {
        RemoteUnitsPilot(job: pilot, commands: files.commands)
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
