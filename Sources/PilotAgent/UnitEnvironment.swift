import PilotLink
import PilotModel
import PilotSystem

/// The environment units start with: the unit's id and the agent's
/// additions (its node), then the unit's own variables, then the agent's
/// environment; the first of each name wins.
struct UnitEnvironment {
    private let inherited: [(name: Substring, entry: String)]

    /// Captures the agent's environment once.
    init() {
        inherited = Environment.current().map { entry in (entry.prefix { $0 != "=" }, entry) }
    }

    /// The complete environment for `task`: `own(for:adding:)` and then
    /// what the agent inherited.
    func entries(for task: UnitTask, adding additions: [String] = []) -> [String] {
        entries(own: own(for: task, adding: additions))
    }

    /// `own` (`NAME=value`), then what the process inherited under other names.
    func entries(own: [String]) -> [String] {
        var result = own
        result.reserveCapacity(inherited.count + result.count)
        let overridden = Set(result.map { $0.prefix { $0 != "=" } })
        for (name, entry) in inherited where !overridden.contains(name) {
            result.append(entry)
        }
        return result
    }

    /// Only what the pilot sets for `task`: its id, `additions`
    /// (`NAME=value`) and the unit's own variables.
    func own(for task: UnitTask, adding additions: [String] = []) -> [String] {
        var result = ["PILOT_UNIT_ID=\(task.id)"] + additions
        let fixed = result.count
        for variable in task.environment where !result[..<fixed].contains(where: { $0.hasPrefix(variable.name + "=") }) {
            result.append("\(variable.name)=\(variable.value)")
        }
        return result
    }
}
