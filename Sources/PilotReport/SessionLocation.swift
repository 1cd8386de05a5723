import PilotCoordinator
import PilotSystem

/// The session a report is about: its directory and the journal in it.
package struct SessionLocation: Sendable {
    package var directory: String
    package var journal: String

    /// Finds `argument`: a session directory's path, or a session id
    /// (`ps-...`) whose directory is in the default place.
    package init(_ argument: String) throws(ReportError) {
        if !argument.contains("/"), argument.hasPrefix("ps-"), !FileSystem.exists(argument) {
            directory = SessionDirectory.defaultPath(sessionID: argument)
            guard FileSystem.isDirectory(directory) else {
                throw ReportError("no session \(argument) in \(FileSystem.parentDirectory(directory)); give the session directory's path instead (the --session-directory of pilotctl serve)")
            }
        } else {
            directory = argument
            guard FileSystem.exists(argument) else {
                throw ReportError("\(argument) does not exist; give a session directory (it holds \(Journal.fileName)) or a session id (ps-...)")
            }
            guard FileSystem.isDirectory(argument) else {
                throw ReportError("\(argument) is not a directory; give a session directory (it holds \(Journal.fileName)) or a session id (ps-...)")
            }
        }
        journal = directory + "/" + Journal.fileName
        guard FileSystem.exists(journal) else {
            throw ReportError("\(directory) has no \(Journal.fileName), so it is not the directory of a journaled session; sessions of pilotctl serve are journaled")
        }
    }
}
