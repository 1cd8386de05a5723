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
public struct SshLauncher: PilotLauncher {
    /// Where the agent runs.
    public let url: ServiceURL

    /// A launcher for `url`.
    public init(url: ServiceURL) {
        self.url = url
    }

    /// `ssh` with the options every call uses, up to the destination.
    var ssh: [String] {
        ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(Int(Command.defaultTimeout / 3))"]
            + (url.port.map { ["-p", String($0)] } ?? []) + [destination]
    }

    private var destination: String { url.user.map { "\($0)@\(url.host)" } ?? url.host }

    private var commands: BatchCommands { BatchCommands(resource: url.text) }

    public func prepare(_ description: PilotDescription) throws(PilotError) {
        _ = try commands.run(ssh + ["mkdir", "-p", BatchCommands.quoted(description.workingDirectory)])
    }

    public func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot {
        let sandbox = request.bootstrap.sandbox
        let quotedSandbox = BatchCommands.quoted(sandbox)
        var bootstrap = request.bootstrap
        bootstrap.socketPath = sandbox + "/coordinator.sock"
        let bootstrapPath = sandbox + "/agent-bootstrap.json"
        _ = try commands.run(ssh + ["umask 077 && mkdir -p \(quotedSandbox) && cat > \(BatchCommands.quoted(bootstrapPath))"],
                             input: JSONText.render(bootstrap))
        let agent = try stagedAgent(request.agentExecutable, sandbox: sandbox)
        // Logs stay on this side: ssh relays the agent's stdout and stderr.
        let logs = request.description.workingDirectory
        if let problem = FileSystem.makeDirectories(logs) {
            throw PilotError(.invalidArgument, "\(url.text): cannot keep the agent's logs in \(logs): \(problem)")
        }
        let tunnel = ["-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes",
                      "-R", "\(bootstrap.socketPath):\(request.bootstrap.socketPath)"]
        let remote = "cd \(quotedSandbox) && exec \(BatchCommands.quoted(agent)) --bootstrap \(BatchCommands.quoted(bootstrapPath))"
        var arguments = ssh
        arguments.insert(contentsOf: tunnel, at: arguments.count - 1)
        return try ForkLauncher.watch(arguments + [remote], in: logs, logs: logs, request: request, resource: url.text, ended: observer.ended)
    }

    /// The agent's path on the remote host: the local one if it is there,
    /// else a copy made in the sandbox.
    private func stagedAgent(_ local: String, sandbox: String) throws(PilotError) -> String {
        if case .success(let result) = Command.run(ssh + ["test", "-x", BatchCommands.quoted(local)]), result.succeeded {
            return local
        }
        let copy = sandbox + "/pilot-agent"
        var scp = ["scp", "-q", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(Int(Command.defaultTimeout / 3))"] + (url.port.map { ["-P", String($0)] } ?? [])
        scp += [local, "\(destination):\(copy)"]
        _ = try commands.run(scp)
        return copy
    }

    public func reattach(nativeID: String, pilotID: String) -> LaunchedPilot? {
        // The ssh process belonged to the coordinator that ran before; its
        // agent links again by itself or not at all.
        nil
    }
}
