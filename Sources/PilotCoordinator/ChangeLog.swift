import PilotModel

/// A state change: the state left, the state entered, and why.
struct Transition {
    let from: State
    let to: State
    let reason: String?
}

/// One change to the registry's objects.
enum Change {
    /// A unit was added or changed; `transition` when its state moved.
    case unit(UnitRecord, Transition?)
    /// A pilot was added or changed; `transition` when its state moved.
    case pilot(PilotRecord, Transition?)
    /// A PilotComputeService was created.
    case pilotServiceAdded(String)
    /// A ComputeDataService was created or canceled.
    case computeService(ComputeServiceRecord)
    /// A PilotComputeService was added to (or removed from) a ComputeDataService.
    case serviceLink(pilotService: String, computeService: String, linked: Bool)
}

/// The registry's one record of what changed. Every mutation appends its
/// changes here and nowhere else; the journal and the event delivery both
/// take them from it, so a new mutation cannot feed one and forget the
/// other. Nothing is kept when neither listens.
struct ChangeLog {
    /// Whether changes go to a journal.
    var journaling = false
    /// Whether anyone subscribed to events.
    var eventsWanted = false
    private var changes: [Change] = []

    /// Records `change` if anyone consumes it (otherwise it is not even made:
    /// the hot paths of a session with neither pay nothing).
    mutating func append(_ change: @autoclosure () -> Change) {
        guard journaling || eventsWanted else { return }
        changes.append(change())
    }

    /// Takes the changes made since the last call: the state events in the
    /// order they happened, and the journal batch (each record once, with
    /// its latest values).
    mutating func take() -> (events: [StateEvent], batch: JournalBatch) {
        guard !changes.isEmpty else { return ([], JournalBatch()) }
        defer { changes.removeAll(keepingCapacity: true) }
        return (eventsWanted ? changes.compactMap(\.event) : [], journaling ? Self.batch(of: changes) : JournalBatch())
    }

    private static func batch(of changes: [Change]) -> JournalBatch {
        var batch = JournalBatch()
        var units: [UnitRecord] = []
        var pilots: [PilotRecord] = []
        for change in changes {
            switch change {
            case .unit(let unit, _):
                guard !unit.journalPending else { continue }
                unit.journalPending = true
                units.append(unit)
            case .pilot(let pilot, _):
                guard !pilot.journalPending else { continue }
                pilot.journalPending = true
                pilots.append(pilot)
            case .pilotServiceAdded(let id):
                batch.pilotServices.append(id)
            case .computeService(let service):
                batch.computeServices.append(ComputeServiceRow(id: service.id, binding: service.binding, canceled: service.canceled))
            case .serviceLink(let pilotService, let computeService, let linked):
                batch.links.append((pilotService, computeService, linked))
            }
        }
        batch.pilots = pilots.map { pilot in
            pilot.journalPending = false
            return PilotRow(pilot)
        }
        batch.units = units.map { unit in
            unit.journalPending = false
            defer { unit.journaled = true }
            return UnitRow(unit)
        }
        return batch
    }
}

extension Change {
    /// The event subscribers see, for a change of state.
    var event: StateEvent? {
        switch self {
        case .unit(let unit, let transition?):
            StateEvent(kind: .unit, id: unit.id, state: transition.to, previousState: transition.from, reason: transition.reason)
        case .pilot(let pilot, let transition?):
            StateEvent(kind: .pilot, id: pilot.id, state: transition.to, previousState: transition.from, reason: transition.reason)
        default:
            nil
        }
    }
}
