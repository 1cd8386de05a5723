import PilotModel
import PilotSystem

/// Which batch system answers: Grid Engine and PBS both install `qsub` and
/// `qstat` (Debian puts Grid Engine's in /usr/bin), and whichever comes
/// first on PATH answers every command. Asked once per service, before its
/// first command, so a wrong one is a clear error rather than a confusing
/// refusal or an empty listing.
final class ManagerClient: Sendable {
    /// The manager's name for messages ("PBS").
    let name: String
    /// Whether `qstat --version`'s text (stdout and stderr) is this manager's.
    private let recognizes: @Sendable (String) -> Bool
    /// Nil until asked; then nil inside when the right client answered (or none could run).
    private let verdict = Monitor<String??>(nil)

    /// The check for `name`.
    init(name: String, recognizes: @escaping @Sendable (String) -> Bool) {
        self.name = name
        self.recognizes = recognizes
    }

    /// A check for PBS, whose `qstat --version` prints `pbs_version = 23.06.06`.
    static func pbs() -> ManagerClient {
        ManagerClient(name: "PBS") { $0.contains("pbs_version") }
    }

    /// A check for Grid Engine, whose `qstat --version` prints its name and
    /// version first (`SGE 8.1.9`), then its usage.
    static func gridEngine() -> ManagerClient {
        ManagerClient(name: "Grid Engine") { text in
            ["SGE", "OGS", "UGE", "GE "].contains { text.hasPrefix($0) } || text.contains("Grid Engine")
        }
    }

    /// Nil when the right manager's client answers; otherwise why not,
    /// asked through `run` once and then remembered.
    func problem(asking run: (_ arguments: [String]) -> Result<SubprocessResult, SpawnFailure>) -> String? {
        if let known = verdict.withLock({ $0 }) { return known }
        var found: String?
        // A client that cannot run at all fails with its own clear error later.
        if case .success(let answer) = run(["qstat", "--version"]) {
            let text = (answer.output + answer.error).trimmed
            if !recognizes(text) {
                let first = text.split(separator: "\n").first.map(String.init) ?? ""
                found = "the qstat first on PATH is not \(name)'s (it answers \(quoted(first))); put \(name)'s bin directory before it on PATH"
            }
        }
        verdict.withLock { $0 = .some(found) }
        return found
    }
}
