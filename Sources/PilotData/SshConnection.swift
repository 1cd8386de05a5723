import PilotModel
import PilotSystem

/// Commands on one remote host over one ssh connection: the first command
/// opens a master connection (OpenSSH's ControlMaster) that the others
/// reuse, so staging many files costs one login, not one per file. Batch
/// mode (never a prompt), a connect timeout, and keep-alives that end a
/// command within about 20 s of the host going silent (so no transfer hangs).
struct SshConnection {
    let host: RemoteHost
    /// Where the master's socket lives (private to this stager).
    let controlDirectory: String

    /// ssh's options, then the destination.
    private var prefix: [String] {
        ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3",
         "-o", "ControlMaster=auto", "-o", "ControlPath=\(controlDirectory)/%C", "-o", "ControlPersist=30"]
            + (host.port.map { ["-p", String($0)] } ?? []) + ["--", host.destination]
    }

    /// The argv that runs POSIX sh `script` on the host (it must fit one
    /// argument: a short command; long ones go through `run`).
    func command(_ script: String) -> [String] {
        prefix + ["exec sh -c " + ShellLine.quoted(script)]
    }

    /// Runs `script` on the host, read by sh from stdin (any length).
    func run(_ script: String) -> Result<SubprocessResult, StagingFailure> {
        switch Subprocess.run(prefix + ["exec sh -s"], input: script, timeout: 3600) {
        case .success(let result): return .success(result)
        case .failure(let failure): return .failure(StagingFailure("ssh to \(host): \(failure.reason)", transient: true))
        }
    }

    /// What a failed command on the host means for a user: the host and
    /// what it (or ssh) said. ssh's own failures (status 255) may pass.
    func failure(_ result: SubprocessResult, doing what: String) -> StagingFailure {
        let said = result.message.isEmpty ? "\(result.status)" : result.message
        if result.status == .exited(255) {
            // A connection that failed or broke may work next time; a refused login or an unknown name will not.
            let lasting = ["Permission denied", "Could not resolve hostname", "Host key verification failed"].contains { said.contains($0) }
            return StagingFailure("cannot \(what) on \(host): ssh failed: \(said)", transient: !lasting)
        }
        return StagingFailure("cannot \(what) on \(host): \(said)")
    }

    /// Ends the master connection.
    func close() {
        _ = Subprocess.run(prefix.dropLast(2) + ["-O", "exit", "--", host.destination], timeout: 10)
    }
}
