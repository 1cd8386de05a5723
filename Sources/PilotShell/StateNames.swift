import Pilot
import PilotModel

/// State names as users type them on a command line.
package enum StateNames {
    /// The states named in `text`: names separated by commas, in any case
    /// ("failed,canceled"); an unknown name is an error that lists the known ones.
    package static func parse(_ text: String) throws(PilotError) -> Set<State> {
        var states: Set<State> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let wanted = name.trimmed.lowercased()
            guard let state = State.allCases.first(where: { $0.name.lowercased() == wanted }) else {
                let known = State.allCases.filter { $0 != .unknown }.map(\.name).joined(separator: ", ")
                throw PilotError(.invalidArgument, "unknown state \"\(name)\"; use one of \(known) (several separated by commas)")
            }
            states.insert(state)
        }
        return states
    }
}
