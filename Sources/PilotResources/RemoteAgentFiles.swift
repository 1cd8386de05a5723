import Glibc
import PilotModel
import PilotSystem

/// A pilot's files on a host reached over ssh (an `ssh://` host, or a
/// `+ssh` login host): the bootstrap written through ssh's stdin into a
/// 0600 file, and the agent binary staged once per build.
struct RemoteAgentFiles: Sendable {
    /// The resource's URL, for messages.
    let url: ServiceURL

    var ssh: SshCommand { SshCommand(url: url) }
    /// Commands run on the host.
    var commands: HostCommands { HostCommands(resource: url.text, login: ssh) }

    /// Makes the pilot's working directory there.
    func prepare(_ description: PilotDescription) throws(PilotError) {
        _ = try commands.run(["mkdir", "-p", description.workingDirectory])
    }

    /// Makes the sandbox there (0700) and writes `bootstrap` to the request's bootstrap path.
    func writeBootstrap(_ bootstrap: AgentBootstrap, for request: AgentLaunch) throws(PilotError) {
        let sandbox = ShellLine.quoted(request.bootstrap.sandbox)
        _ = try commands.run(["sh", "-c", "umask 077 && mkdir -p \(sandbox) && cat > \(ShellLine.quoted(request.bootstrapPath))"],
                             input: JSONText.render(bootstrap))
    }

    /// Removes the bootstrap and the empty sandbox of a pilot never submitted.
    func discard(_ request: AgentLaunch) {
        _ = commands.result(["sh", "-c", "rm -f \(ShellLine.quoted(request.bootstrapPath)) && rmdir \(ShellLine.quoted(request.bootstrap.sandbox))"])
    }

    /// The agent's path on the host: `local` itself if the host sees it (a
    /// shared file system), else a copy in `folder` (absolute, or relative
    /// to the login's home) named by the binary's checksum, copied once
    /// (whole or not at all) and reused by every later pilot.
    func stage(_ local: String, in folder: String) throws(PilotError) -> String {
        if case .success(let result) = commands.result(["test", "-x", local]), result.succeeded { return local }
        let copy = folder + "/" + (try AgentStaging.name(of: local))
        if case .success(let result) = commands.result(["test", "-x", copy]), result.succeeded { return copy }
        let part = copy + ".part-\(getpid())"
        _ = try commands.run(["mkdir", "-p", "-m", "700", folder])
        _ = try HostCommands(resource: url.text).run(ssh.copy(local, to: part))
        _ = try commands.run(["sh", "-c", "chmod 700 \(ShellLine.quoted(part)) && mv -f \(ShellLine.quoted(part)) \(ShellLine.quoted(copy))"])
        return copy
    }
}
