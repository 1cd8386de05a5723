import Glibc
import PilotModel
import PilotSystem

/// The secret a client presents to a served session. On the session's own
/// host it is the `secret` file in the session directory; from another
/// host (a `pilot+tcp://` URL) it is the user's credentials file for the
/// session: `$PILOT_CREDENTIALS` if set, else
/// `~/.pilot/credentials/<session id>` (mode 0600 in a 0700 directory;
/// `pilotctl serve --listen` writes it, and a home directory shared with
/// the cluster's hosts carries it there).
enum Credentials {
    /// The credentials file of session `sessionID`.
    static func path(sessionID: String) -> String {
        Environment.value("PILOT_CREDENTIALS") ?? "\(Environment.home)/.pilot/credentials/\(sessionID)"
    }

    /// Writes the credentials file of session `sessionID` (0600); returns its path.
    static func write(secret: String, sessionID: String) throws(PilotError) -> String {
        let path = path(sessionID: sessionID)
        let problem = FileSystem.makeDirectories(FileSystem.parentDirectory(path), mode: 0o700)
            ?? FileSystem.write(secret + "\n", to: path, mode: 0o600)
        if let problem { throw PilotError(.backend, "cannot write the session's credentials file: \(problem)") }
        return path
    }

    /// The secret for `url`, from a file nobody else could have written or read.
    static func secret(for url: CoordinationURL) throws(PilotError) -> String {
        let path: String
        if let directory = url.sessionDirectory {
            // Whoever could swap the socket or the secret would get the secret from us.
            if FileSystem.exists(directory),
               let problem = FileSystem.sessionProblem(directory, entries: [CoordinationURL.secretName, CoordinationURL.socketName]) {
                throw PilotError(.denied, "not trusting the session at \(url.text): \(problem); only a session directory of your own that nobody else can write to is used")
            }
            path = directory + "/" + CoordinationURL.secretName
        } else {
            path = Self.path(sessionID: url.network?.sessionID ?? "")
            if let problem = FileSystem.privateEntryProblem(path) {
                throw PilotError(.denied, "not using the credentials file \(path): \(problem); it must be yours with mode 0600")
            }
        }
        guard let secret = FileSystem.read(path)?.trimmed, !secret.isEmpty else {
            throw PilotError(.denied, url.network == nil
                ? "cannot read the session secret \(path): is the coordinator running, and started by this user?"
                : "cannot read the credentials file \(path) for \(url.text): copy it from the host that runs `pilotctl serve` (or set PILOT_CREDENTIALS to its path)")
        }
        return secret
    }
}
