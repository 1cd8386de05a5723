import PilotLink
import PilotModel

/// The agent's FIFO of units waiting for slots. Cancelling a queued unit
/// marks it; marked units are dropped when they reach the front, so every
/// operation stays O(1).
struct UnitQueue {
    private var items = FIFO<UnitTask>()
    private var queued: Set<String> = []

    /// The unit that starts next.
    var first: UnitTask? {
        mutating get {
            while let head = items.first, !queued.contains(head.id) { items.popFirst() }
            return items.first
        }
    }

    /// Adds `task` at the end.
    mutating func append(_ task: UnitTask) {
        queued.insert(task.id)
        items.append(task)
    }

    /// Takes the first unit out.
    mutating func popFirst() -> UnitTask? {
        guard let task = first else { return nil }
        items.popFirst()
        queued.remove(task.id)
        return task
    }

    /// The queued units, in order.
    var tasks: [UnitTask] { items.elements.filter { queued.contains($0.id) } }

    /// The ids of the queued units, in order.
    var ids: [String] { tasks.map(\.id) }

    /// Whether unit `id` is queued.
    func contains(_ id: String) -> Bool {
        queued.contains(id)
    }

    /// Removes the unit `id`; false if it is not queued.
    mutating func remove(_ id: String) -> Bool {
        queued.remove(id) != nil
    }
}
