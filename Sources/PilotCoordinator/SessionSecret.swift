import PilotModel
import PilotSystem

/// The secret a session's clients and agents prove (through keys derived
/// from it, `LinkKey`). A served session keeps it in a 0600 file in its
/// session directory, so it survives a restart and clients can read it; an
/// embedded session's lives in memory only.
enum SessionSecret {
    /// The secret at `path`, made there first if missing.
    static func stored(at path: String) throws(PilotError) -> String {
        if let existing = FileSystem.read(path)?.trimmed, existing.count == 64 { return existing }
        let secret = Secret.make()
        if let problem = FileSystem.write(secret + "\n", to: path, mode: 0o600) {
            throw PilotError(.backend, "cannot write the session secret: \(problem)")
        }
        return secret
    }
}
