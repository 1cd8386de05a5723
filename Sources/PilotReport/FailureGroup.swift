import PilotModel

/// Units that failed or were canceled for one reason.
package struct FailureGroup: Sendable, Equatable, Encodable {
    package var state: String
    package var reason: String
    package var count: Int
    /// The first few of its units, in submission order.
    package var examples: [String]

    /// How many unit ids a group lists.
    static let exampleCount = 5

    /// The groups of `units` that ended Failed or Canceled, most units first
    /// (then by state and reason); a unit without a reason counts under "".
    package static func groups(of units: [SessionJournal.Unit]) -> [FailureGroup] {
        var groups: [FailureGroup] = []
        var positions: [[String]: Int] = [:]
        for unit in units where unit.state == .failed || unit.state == .canceled {
            let key = [unit.state.name, unit.reason ?? ""]
            if let position = positions[key], groups.indices.contains(position) {
                groups[position].count += 1
                if groups[position].examples.count < exampleCount { groups[position].examples.append(unit.id) }
            } else {
                positions[key] = groups.count
                groups.append(FailureGroup(state: unit.state.name, reason: unit.reason ?? "", count: 1, examples: [unit.id]))
            }
        }
        return groups.sorted { left, right in
            left.count != right.count ? left.count > right.count : (left.state, left.reason) < (right.state, right.reason)
        }
    }
}
