import Glibc
import PilotModel

/// The environment units start with: the agent's own, with each unit's
/// variables in front (they win) and its id added.
struct UnitEnvironment {
    private let inherited: [(name: Substring, entry: String)]

    /// Captures the agent's environment once.
    init() {
        var entries: [(Substring, String)] = []
        var cursor = environ
        while let pointer = cursor.pointee {
            let entry = String(cString: pointer)
            let name = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            entries.append((name, entry))
            cursor += 1
        }
        inherited = entries
    }

    /// The complete environment for `task`.
    func entries(for task: UnitTask) -> [String] {
        var result = ["PILOT_UNIT_ID=\(task.id)"]
        result.reserveCapacity(inherited.count + task.environment.count + 1)
        var overridden: Set<Substring> = ["PILOT_UNIT_ID"]
        for variable in task.environment {
            result.append("\(variable.name)=\(variable.value)")
            overridden.insert(Substring(variable.name))
        }
        for (name, entry) in inherited where !overridden.contains(name) {
            result.append(entry)
        }
        return result
    }
}
