import Pilot
import PilotModel

/// How shell commands print pilots and units, one per line.
package enum Listings {
    /// A table of pilots: id, state, where, slots (busy of all), open units, host, reason.
    package static func pilots(_ pilots: [PilotDetails]) -> String {
        var table = TextTable(["PILOT", "STATE", "SERVICE", "SLOTS", "OPEN UNITS", "HOST", "REASON"])
        for pilot in pilots {
            table.add([pilot.id, pilot.state.name, pilot.serviceURL, "\(pilot.slots - pilot.freeSlots)/\(pilot.slots)",
                       String(pilot.openUnits), pilot.host ?? "-", pilot.reason ?? ""])
        }
        return table.text
    }

    /// A table of units: id, state, pilot, host, exit code (or signal), reason.
    package static func units(_ units: [UnitDetails]) -> String {
        var table = TextTable(["UNIT", "STATE", "PILOT", "HOST", "EXIT", "REASON"])
        for unit in units {
            let exit = unit.exitCode.map(String.init) ?? unit.signal.map { "signal \($0)" } ?? "-"
            table.add([unit.id, unit.state.name, unit.pilotID ?? "-", unit.host ?? "-", exit, unit.reason ?? ""])
        }
        return table.text
    }

    /// "100 units: 50 Done, 48 Canceled, 2 Running" (states in lifecycle order).
    package static func counts(_ counts: [State: Int]) -> String {
        let total = counts.values.reduce(0, +)
        let states = counts.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.name)" }
        return "\(total) unit\(total == 1 ? "" : "s")" + (states.isEmpty ? "" : ": " + states.joined(separator: ", "))
    }
}
