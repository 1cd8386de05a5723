import Glibc
import PilotModel
import PilotSystem

/// The `ssh://[user@]host[:port]` adaptor for pilots: the agent runs on the
/// remote host under an ssh connection that also carries its link (the
/// coordinator's socket is forwarded to a socket in the remote sandbox, so
/// nothing listens on the network). The bootstrap goes over ssh's stdin
/// into a 0600 file; when the remote host has no `pilot-agent` at the local
/// path, the binary is copied into the sandbox first (it needs the Swift
/// runtime there). Authentication is the user's ssh setup (BatchMode: no
/// prompts). The pilot's job is the local ssh process.
package struct SshLauncher: PilotLauncher {
    /// Where the agent runs.
    package let url: ServiceURL

    /// A launcher for `url`.
    package init(url: ServiceURL) {
        self.url = url
    }

    /// How to reach the host.
    private var ssh: SshCommand { SshCommand(url: url) }
    /// Commands run on the host.
    private var commands: BatchCommands { BatchCommands(resource: url.text, login: ssh) }

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        _ = try commands.run(["mkdir", "-p", description.workingDirectory])
    }

    package func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot {
        let sandbox = request.bootstrap.sandbox
        let quotedSandbox = ShellLine.quoted(sandbox)
        var bootstrap = request.bootstrap
        bootstrap.socketPath = sandbox + "/coordinator.sock"
        let bootstrapPath = sandbox + "/agent-bootstrap.json"
        _ = try commands.run(["sh", "-c", "umask 077 && mkdir -p \(quotedSandbox) && cat > \(ShellLine.quoted(bootstrapPath))"],
                             input: JSONText.render(bootstrap))
        let agent = try stagedAgent(request.agentExecutable, sandbox: sandbox)
        // Logs stay on this side: ssh relays the agent's stdout and stderr.
        let logs = request.description.workingDirectory
        if let problem = FileSystem.makeDirectories(logs) {
            throw PilotError(.invalidArgument, "\(url.text): cannot keep the agent's logs in \(logs): \(problem)")
        }
        let tunnel = ["-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes",
                      "-R", "\(bootstrap.socketPath):\(request.bootstrap.socketPath)"]
        let remote = "cd \(quotedSandbox) && exec \(ShellLine.quoted(agent)) --bootstrap \(ShellLine.quoted(bootstrapPath))"
        let arguments = ssh.arguments(extra: tunnel) + [remote]
        return try ForkLauncher.watch(arguments, in: logs, logs: logs, request: request, resource: url.text, ended: observer.ended)
    }

    /// The agent's path on the remote host: the local one if it is there,
    /// else a copy made in the sandbox.
    private func stagedAgent(_ local: String, sandbox: String) throws(PilotError) -> String {
        if case .success(let result) = commands.result(["test", "-x", local]), result.succeeded {
            return local
        }
        let copy = sandbox + "/pilot-agent"
        _ = try BatchCommands(resource: url.text).run(ssh.copy(local, to: copy))
        return copy
    }

    package func reattach(nativeID: String, pilotID: String) -> LaunchedPilot? {
        // The ssh process belonged to the coordinator that ran before; its
        // agent links again by itself or not at all.
        nil
    }
}
