import PilotModel
import PilotSystem

/// The secret a session's clients and agents prove (through keys derived
/// from it, `LinkKey`). A served session keeps it in a 0600 file in its
/// session directory, so it survives a restart and clients on this host can
/// read it; an embedded session's lives in memory only.
enum SessionSecret {
    /// The secret stored at `path`, if there is one.
    static func read(at path: String) -> String? {
        guard let text = FileSystem.read(path)?.trimmed, text.count == 64 else { return nil }
        return text
    }

    /// Stores `secret` at `path` (0600) unless that file holds one already.
    static func store(_ secret: String, at path: String) throws(PilotError) {
        guard read(at: path) == nil else { return }
        if let problem = FileSystem.write(secret + "\n", to: path, mode: 0o600) {
            throw PilotError(.backend, "cannot write the session secret: \(problem)")
        }
    }
}
