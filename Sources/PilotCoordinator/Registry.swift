import PilotLink
import PilotModel
import PilotResources

/// The coordinator's state: every pilot, unit and service, and the rules
/// that move them between states. Only ever used under the coordinator's
/// monitor; performs no I/O itself but records `Effects`.
final class Registry {
    var units: [String: UnitRecord] = [:]
    var pilots: [String: PilotRecord] = [:]
    var pilotServices: [String: PilotServiceRecord] = [:]
    var computeServices: [String: ComputeServiceRecord] = [:]
    var effects = Effects()
    /// What changed, for the journal and the event delivery.
    var changes = ChangeLog()
    /// Pilots that may be able to take more units (each flagged once).
    var needsScheduling: [PilotRecord] = []
    /// Late-binding services with units their running pilots have not seen.
    var servicesWithNewUnits: Set<String> = []
    /// Objects someone waits on, with the number of waiters.
    var watched: [String: Int] = [:]
    var closed = false

    /// Takes the recorded effects, leaving none.
    func takeEffects() -> Effects {
        defer { effects = Effects() }
        return effects
    }

    // MARK: Units

    /// Moves `unit` to `state` if the lifecycle allows it; final states
    /// release the unit's slots and counters.
    @discardableResult
    func setState(_ unit: UnitRecord, _ state: State, reason: String? = nil) -> Bool {
        guard UnitLifecycle.allows(unit.state, state) else { return false }
        let previous = unit.state
        unit.state = state
        if let reason { unit.reason = reason }
        changes.append(.unit(unit, Transition(from: previous, to: state, reason: unit.reason)))
        if state == .failed, let pilot = unit.ownerPilot {
            effects.logs.append(PilotLogEntry(pilotID: pilot.id, directory: pilot.description.workingDirectory, level: .error,
                                              message: "unit Failed: \(unit.reason ?? "no reason given")",
                                              metadata: ["unit": .string(unit.id), "source": "coordinator"]))
        }
        if state.isFinal { release(unit) }
        return true
    }

    private func release(_ unit: UnitRecord) {
        unit.finished = WallClock.now()
        if let pilot = unit.pilot, pilot.boundUnits.removeValue(forKey: ObjectIdentifier(unit)) != nil {
            pilot.boundSlots -= unit.slots
            requestScheduling(pilot)
        }
        let owner = unit.ownerPilot
        owner?.openUnits -= 1
        let service = unit.service
        service?.openUnits -= 1
        // Wake waiters only when this could end a wait: the unit itself, or
        // the last open unit of a watched service or pilot.
        if !watched.isEmpty, watched[unit.id] != nil
            || service.map({ $0.openUnits == 0 && watched[$0.id] != nil }) == true
            || owner.map({ $0.openUnits == 0 && watched[$0.id] != nil }) == true {
            effects.broadcast = true
        }
    }

    // MARK: Waits

    /// Marks `id` (a unit, service or pilot) as waited on, so changes that
    /// can end that wait wake the waiters. Pair with `unwatch`.
    func watch(_ id: String) {
        watched[id, default: 0] += 1
    }

    /// Ends one `watch(id)`.
    func unwatch(_ id: String) {
        if let count = watched[id], count > 1 {
            watched[id] = count - 1
        } else {
            watched[id] = nil
        }
    }

    /// Registers a new unit (state New) and emits its first event.
    func add(_ unit: UnitRecord) {
        units[unit.id] = unit
        unit.service?.openUnits += 1
        changes.append(.unit(unit, Transition(from: .unknown, to: .new, reason: nil)))
    }

    /// Registers a unit whose submission was journaled but then refused
    /// (its service was canceled, its pilot ended or the session closed in
    /// between): it ends Canceled at once, so its journal row ends too.
    func addRefused(_ unit: UnitRecord, to target: UnitTarget, reason: String) {
        add(unit)
        if case .pilot(let pilotID) = target, let pilot = pilots[pilotID] {
            unit.assignedPilot = pilot
            pilot.openUnits += 1
        }
        setState(unit, .canceled, reason: reason)
    }

    /// Cancels `unit`: at once if no agent has it, otherwise by asking its agent.
    func cancel(_ unit: UnitRecord) {
        guard !unit.state.isFinal else { return }
        unit.cancelRequested = true
        guard unit.state != .new, let pilot = unit.pilot else {
            setState(unit, .canceled, reason: "canceled by user")
            return
        }
        if let index = pilot.outboxRun.firstIndex(where: { $0.id == unit.id }) {
            pilot.outboxRun.remove(at: index)
            setState(unit, .canceled, reason: "canceled by user")
        } else {
            pilot.outboxCancel.append(unit.id)
            requestFlush(pilot)
        }
    }

    // MARK: Pilots

    /// Moves `pilot` to `state` if allowed. Final states end its units
    /// (Canceled with it, Failed otherwise) and close its link.
    @discardableResult
    func setState(_ pilot: PilotRecord, _ state: State, reason: String? = nil) -> Bool {
        guard PilotLifecycle.allows(pilot.state, state) else { return false }
        let previous = pilot.state
        pilot.state = state
        if let reason { pilot.reason = reason }
        if state == .running { pilot.started = WallClock.now() }
        changes.append(.pilot(pilot, Transition(from: previous, to: state, reason: pilot.reason)))
        effects.logs.append(PilotLogEntry(
            pilotID: pilot.id, directory: pilot.description.workingDirectory, level: state == .failed ? .error : .info,
            message: "pilot \(state.name)" + (state.isFinal ? ": \(pilot.reason ?? "no reason given")" : ""),
            metadata: ["source": "coordinator"]))
        effects.broadcast = true
        if state.isFinal { end(pilot, state: state) }
        return true
    }

    private func end(_ pilot: PilotRecord, state: State) {
        pilot.finished = WallClock.now()
        var orphans: [Int32] = []
        let stranded = Array(pilot.boundUnits.values) + pilot.directQueue.elements
        for unit in stranded where !unit.state.isFinal {
            if unit.state == .running, let pid = unit.pid { orphans.append(pid) }
            if state == .canceled && !unit.cancelRequested {
                setState(unit, .canceled, reason: "pilot \(pilot.id) was canceled")
            } else {
                // A bound unit may have started without our hearing of it yet.
                dropped(unit, by: pilot, started: unit.state != .new)
            }
        }
        pilot.directQueue.removeAll()
        pilot.outboxRun.removeAll()
        pilot.outboxCancel.removeAll()
        if let job = pilot.job, !orphans.isEmpty { effects.orphans.append((job, orphans)) }
        if let link = pilot.link { effects.closes.append(link) }
        pilot.link = nil
        pilot.schedulingRequested = false
        needsScheduling.removeAll { $0 === pilot }
    }

    /// Asks `pilot` to stop. Returns true when it is final already.
    func requestCancel(_ pilot: PilotRecord) -> Bool {
        guard !pilot.state.isFinal else { return true }
        pilot.cancelRequested = true
        if pilot.link != nil {
            pilot.outboxShutdown = "canceled by user"
            requestFlush(pilot)
            return false
        }
        if let job = pilot.job { effects.terminations.append(job) }
        setState(pilot, .canceled, reason: "canceled by user")
        return true
    }

    /// Queues a write of `pilot`'s outbox on its link, once per batch.
    func requestFlush(_ pilot: PilotRecord) {
        guard let link = pilot.link, !pilot.flushScheduled else { return }
        pilot.flushScheduled = true
        effects.flushes.append((pilot.id, link))
    }

    /// Bytes of units one `run` message carries at most (each unit carries
    /// at most `UnitDescription.maximumCarried`), well inside a link frame.
    static let runBatchBytes = 16 << 20

    /// `tasks` in order, cut into runs of at most `runBatchBytes` (a larger unit alone).
    static func batches(_ tasks: [UnitTask]) -> [[UnitTask]] {
        var batches: [[UnitTask]] = []
        var current: [UnitTask] = []
        var bytes = 0
        for task in tasks {
            let size = task.approximateWireSize
            if !current.isEmpty, bytes + size > runBatchBytes {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(task)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Takes what `pilot` has to send, as messages in order.
    func takeOutbox(of pilotID: String) -> [CoordinatorMessage] {
        guard let pilot = pilots[pilotID] else { return [] }
        pilot.flushScheduled = false
        var messages: [CoordinatorMessage] = []
        messages += Self.batches(pilot.outboxRun).map { .run($0) }
        if !pilot.outboxCancel.isEmpty { messages.append(.cancel(pilot.outboxCancel)) }
        if let reason = pilot.outboxShutdown { messages.append(.shutdown(reason: reason)) }
        pilot.outboxRun.removeAll(keepingCapacity: true)
        pilot.outboxCancel.removeAll()
        pilot.outboxShutdown = nil
        return messages
    }
}
