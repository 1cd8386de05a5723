import PilotModel
import PilotSystem

/// How this side reaches a host over ssh (`ssh://`, and the login host of
/// `slurm+ssh://`, `sge+ssh://`, `pbs+ssh://`): the user's own ssh setup,
/// in batch mode so it never prompts, with a connect timeout so a dead host
/// is an error rather than a hang.
struct SshCommand: Sendable {
    /// The URL naming `[user@]host[:port]`.
    let url: ServiceURL

    /// The user to log in as, when the URL names one.
    var user: String? { url.user }

    /// `user@host`, or the host alone.
    var destination: String { url.user.map { "\($0)@\(url.host)" } ?? url.host }

    /// Options every ssh and scp call takes.
    private var options: [String] {
        ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(Int(Subprocess.defaultTimeout / 3))"]
    }

    /// `ssh` with its options and `extra` ones, up to the destination.
    func arguments(_ extra: [String] = []) -> [String] {
        ["ssh"] + options + extra + (url.port.map { ["-p", String($0)] } ?? []) + [destination]
    }

    /// `scp` copying local file `path` to `remotePath` on the host.
    func copy(_ path: String, to remotePath: String) -> [String] {
        ["scp", "-q"] + options + (url.port.map { ["-P", String($0)] } ?? []) + [path, "\(destination):\(remotePath)"]
    }
}
