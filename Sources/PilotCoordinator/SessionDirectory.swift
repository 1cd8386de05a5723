import Glibc
import PilotModel
import PilotSystem

/// Where a session keeps its sockets, secret and journal, made or taken
/// over only when nobody else could swap or forge what is in it.
package enum SessionDirectory {
    /// Where a session's directory is by default: `$TMPDIR/pilot-<uid>/<session id>`.
    package static func defaultPath(sessionID: String) -> String {
        "\(Environment.temporaryDirectory)/pilot-\(getuid())/\(sessionID)"
    }

    /// The session directory a user means by `argument`: its path, or a
    /// session id (`ps-...`) whose directory is in the default place. An
    /// error says what is missing and what to give instead.
    package static func find(_ argument: String) throws(PilotError) -> String {
        if !argument.contains("/"), argument.hasPrefix(IdentifierKind.session.rawValue + "-"), !FileSystem.exists(argument) {
            let directory = defaultPath(sessionID: argument)
            guard FileSystem.isDirectory(directory) else {
                throw PilotError(.notFound, "no session \(argument) in \(FileSystem.parentDirectory(directory)); give the session directory's path instead (the --session-directory of pilotctl serve)")
            }
            return directory
        }
        guard FileSystem.exists(argument) else {
            throw PilotError(.notFound, "\(argument) does not exist; give a session directory or a session id (ps-...)")
        }
        guard FileSystem.isDirectory(argument) else {
            throw PilotError(.notFound, "\(argument) is not a directory; give a session directory or a session id (ps-...)")
        }
        return argument
    }

    /// Creates (or takes back, for a restart) the session directory: the
    /// one given, or a new one under `$TMPDIR/pilot-<uid>/`. Refuses a
    /// directory, parent or entry (`entries`) that another user owns or
    /// could rearrange, before making anything in it; returns the path.
    static func claim(_ given: String?, sessionID: String, entries: [String]) throws(PilotError) -> String {
        let directory = given ?? defaultPath(sessionID: sessionID)
        let parent = FileSystem.parentDirectory(directory)
        func refusal(_ problem: String) -> PilotError {
            PilotError(.denied, given == nil
                ? "unsafe session directory: \(problem); remove it or set TMPDIR to a private place"
                : "refusing the session directory \(directory): \(problem); use a directory of your own that only you can write to")
        }
        if given != nil, FileSystem.exists(parent), let problem = FileSystem.sharedParentProblem(parent) {
            throw refusal(problem)
        }
        if let problem = FileSystem.makeDirectories(directory, mode: 0o700) {
            throw PilotError(.backend, "cannot create the session directory: \(problem); set TMPDIR or session_directory to a writable place")
        }
        // The default's parent is this user's own: it must be private too.
        if let problem = (given == nil ? FileSystem.privacyProblem(parent) : nil)
            ?? FileSystem.sessionProblem(directory, entries: entries) {
            throw refusal(problem)
        }
        chmod(directory, 0o700)
        if given == nil { StaleSessions.sweep(parent) }
        return directory
    }
}
