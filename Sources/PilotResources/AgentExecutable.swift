import Glibc
import PilotModel
import PilotSystem

/// Finds the `pilot-agent` executable: `$PILOT_AGENT` if set, otherwise
/// beside the binary that holds this code (libpilot.so, or the program
/// pilot is linked into), which is where builds and the Python package put it.
package enum AgentExecutable {
    /// The agent's path, or an error saying where it was looked for.
    package static func locate() throws(PilotError) -> String {
        if let explicit = Environment.value("PILOT_AGENT") {
            guard access(explicit, X_OK) == 0 else {
                throw PilotError(.invalidArgument, "PILOT_AGENT=\(explicit) is not an executable file; unset it or point it at pilot-agent")
            }
            return explicit
        }
        guard let image = FileSystem.ownImagePath() else {
            throw PilotError(.internal, "cannot tell where libpilot is installed; set PILOT_AGENT to the pilot-agent executable")
        }
        let directory = image.lastIndex(of: "/").map { String(image[..<$0]) } ?? "."
        let candidate = directory + "/pilot-agent"
        guard access(candidate, X_OK) == 0 else {
            throw PilotError(.internal, "pilot-agent not found at \(candidate); build it (swift build) or set PILOT_AGENT to its path")
        }
        return candidate
    }
}
