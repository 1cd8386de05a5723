import PilotCoordinator
import PilotSystem

/// The session a report is about: its directory and the journal in it.
package struct SessionLocation: Sendable {
    package var directory: String
    package var journal: String

    /// Finds `argument`: a session directory's path, or a session id
    /// (`ps-...`) whose directory is in the default place.
    package init(_ argument: String) throws(ReportError) {
        do {
            directory = try SessionDirectory.find(argument)
        } catch {
            throw ReportError(error.message)
        }
        journal = directory + "/" + Journal.fileName
        guard FileSystem.exists(journal) else {
            throw ReportError("\(directory) has no \(Journal.fileName), so it is not the directory of a journaled session; sessions of pilotctl serve are journaled")
        }
    }
}
