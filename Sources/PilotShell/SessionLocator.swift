import PilotCoordinator
import PilotModel
import PilotSystem

/// Finds the coordination URL of a served session from what a user types:
/// the URL itself, the session directory, or the session id.
package enum SessionLocator {
    /// The variable that names the session when no `--session` is given.
    package static let variable = "PILOT_COORDINATION_URL"

    /// The coordination URL for `given` (or `$PILOT_COORDINATION_URL`);
    /// an error that says what to pass when nothing names a served session.
    package static func url(for given: String?) throws(PilotError) -> String {
        guard let given = given ?? Environment.value(variable), !given.isEmpty else {
            throw PilotError(.invalidArgument, "no session given: pass --session with the URL `pilotctl serve` printed (or its session directory or id), or set \(variable)")
        }
        if given.contains("://") {
            _ = try CoordinationURL(given)
            return given
        }
        let directory = try SessionDirectory.find(given)
        let url = CoordinationURL(sessionDirectory: directory)
        guard FileSystem.exists(url.socketPath) else {
            throw PilotError(.notFound, "\(directory) holds no \(CoordinationURL.socketName): nothing serves it; start `pilotctl serve --session-directory \(directory)`")
        }
        return url.text
    }
}
