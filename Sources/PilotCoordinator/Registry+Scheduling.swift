import PilotLink
import PilotModel

/// Binding units to pilots. Late binding: a pilot with room takes the next
/// unit from its own queue, then from the queues of the services it serves
/// (round robin). Early binding: a unit is placed on a matching pilot at
/// submission. A pilot binds at most `bindingWindow` slots' worth of units.
extension Registry {
    /// Binds whatever fits on every pilot that may have room.
    func runScheduling() {
        // A service's new units wake its running pilots once per change, not once per unit.
        while let serviceID = servicesWithNewUnits.popFirst() {
            guard let service = computeServices[serviceID] else { continue }
            for pilot in livePilots(of: service) where pilot.state == .running {
                requestScheduling(pilot)
            }
        }
        while let pilot = needsScheduling.popLast() {
            pilot.schedulingRequested = false
            fill(pilot)
        }
    }

    /// Queues `pilot` for the next scheduling pass, once.
    func requestScheduling(_ pilot: PilotRecord) {
        guard !pilot.schedulingRequested else { return }
        pilot.schedulingRequested = true
        needsScheduling.append(pilot)
    }

    private func fill(_ pilot: PilotRecord) {
        guard pilot.state == .running, pilot.link != nil, pilot.isLive else { return }
        var bound = false
        while pilot.boundSlots < pilot.bindingWindow, let unit = nextUnit(for: pilot) {
            bind(unit, to: pilot)
            bound = true
        }
        if bound { requestFlush(pilot) }
    }

    private func nextUnit(for pilot: PilotRecord) -> UnitRecord? {
        while let unit = pilot.directQueue.first {
            if unit.state != .new {
                pilot.directQueue.popFirst()
                continue
            }
            guard pilot.boundSlots + unit.slots <= pilot.bindingWindow, canFinish(unit, on: pilot) else { return nil }
            pilot.directQueue.popFirst()
            return unit
        }
        let count = pilot.servedServices.count
        for offset in 0..<count {
            let index = (pilot.nextServedService + offset) % count
            let service = pilot.servedServices[index]
            if let unit = nextLateUnit(from: service, for: pilot) {
                pilot.nextServedService = (index + 1) % count
                return unit
            }
        }
        return nil
    }

    private func nextLateUnit(from service: ComputeServiceRecord, for pilot: PilotRecord) -> UnitRecord? {
        while let unit = service.queue.first {
            if unit.state != .new {
                service.queue.popFirst()
                continue
            }
            if unit.slots > pilot.capacity {
                guard largestLiveCapacity(of: service) < unit.slots else { return nil }
                service.queue.popFirst()
                setState(unit, .failed, reason: "unit needs \(unit.slots) slots but the largest pilot available has \(largestLiveCapacity(of: service)); ask for fewer processes or start a bigger pilot")
                continue
            }
            guard pilot.boundSlots + unit.slots <= pilot.bindingWindow, canFinish(unit, on: pilot),
                  !leftForNearerPilot(unit, by: pilot, in: service) else { return nil }
            service.queue.popFirst()
            for waiting in service.deferredPilots { requestScheduling(waiting) }
            service.deferredPilots.removeAll()
            return unit
        }
        return nil
    }

    /// Late binding prefers the pilot nearest a unit's input data: a pilot
    /// whose labels do not match those of a unit with `input_data` leaves it
    /// to a linked pilot of the service that matches and has room now (and
    /// looks again once that one has taken it).
    private func leftForNearerPilot(_ unit: UnitRecord, by pilot: PilotRecord, in service: ComputeServiceRecord) -> Bool {
        guard !unit.description.inputData.isEmpty, !matches(unit, pilot) else { return false }
        let nearer = livePilots(of: service).first { other in
            other !== pilot && other.state == .running && other.link != nil && matches(unit, other)
                && other.boundSlots + unit.slots <= other.bindingWindow
        }
        guard let nearer else { return false }
        if !service.deferredPilots.contains(where: { $0 === pilot }) { service.deferredPilots.append(pilot) }
        requestScheduling(nearer)
        return true
    }

    /// False when the unit declares a `duration` longer than the pilot's
    /// remaining wall time: the pilot leaves it (and those behind it) to others.
    private func canFinish(_ unit: UnitRecord, on pilot: PilotRecord) -> Bool {
        guard let duration = unit.description.duration, let deadline = pilot.deadline else { return true }
        return WallClock.monotonic() + duration <= deadline
    }

    private func bind(_ unit: UnitRecord, to pilot: PilotRecord) {
        unit.pilot = pilot
        unit.bound = WallClock.now()
        unit.host = pilot.host
        let directory = unit.description.workingDirectory.map { given in
            given.hasPrefix("/") || given.hasPrefix("~") ? given : pilot.sandbox + "/" + given
        } ?? pilot.sandbox + "/" + Identifier.sandboxName(ofUnit: unit.id)
        unit.workingDirectory = directory
        pilot.boundUnits[ObjectIdentifier(unit)] = unit
        pilot.boundSlots += unit.slots
        if unit.assignedPilot == nil { pilot.openUnits += 1 }
        setState(unit, .pending)
        pilot.outboxRun.append(task(for: unit, in: directory))
    }

    /// What an agent is sent to run `unit` in `directory`.
    func task(for unit: UnitRecord, in directory: String) -> UnitTask {
        UnitTask(
            id: unit.id, command: unit.description.command, environment: unit.description.environment,
            workingDirectory: directory, input: unit.description.input, output: unit.description.output,
            error: unit.description.error, slots: unit.slots, spmdVariation: unit.description.spmdVariation,
            duration: unit.description.duration, timeLimit: unit.description.timeLimit,
            staging: unit.description.staging.isEmpty ? nil : unit.description.staging)
    }

    // MARK: Submission

    /// Queues `unit` on `pilot` (direct submission, or early binding's
    /// choice); the caller has checked that it fits.
    func assign(_ unit: UnitRecord, to pilot: PilotRecord) {
        unit.assignedPilot = pilot
        pilot.openUnits += 1
        pilot.directQueue.append(unit)
        requestScheduling(pilot)
    }

    /// Queues `unit` on `service` according to its binding; the caller has
    /// checked that some live pilot can hold it.
    func enqueue(_ unit: UnitRecord, on service: ComputeServiceRecord) {
        switch service.binding {
        case .late:
            service.queue.append(unit)
            servicesWithNewUnits.insert(service.id)
        case .early:
            place(unit, on: service)
        }
    }

    /// Early binding: the least loaded live pilot whose labels match; if the
    /// service has no live pilot yet, the unit waits in its queue.
    private func place(_ unit: UnitRecord, on service: ComputeServiceRecord) {
        let candidates = livePilots(of: service)
        guard !candidates.isEmpty else {
            service.queue.append(unit)
            return
        }
        let matching = candidates.filter { matches(unit, $0) && unit.slots <= $0.capacity }
        guard let best = matching.min(by: { load($0) < load($1) }) else {
            setState(unit, .failed, reason: "no pilot of service \(service.id) matches the unit's affinity (\(labels(unit))) with \(unit.slots) slots; add such a pilot or change the labels")
            return
        }
        assign(unit, to: best)
    }

    /// Places the early-bound units that were waiting for a pilot.
    func placeWaitingUnits(of service: ComputeServiceRecord) {
        guard service.binding == .early, !livePilots(of: service).isEmpty else { return }
        var waiting = service.queue
        service.queue = FIFO()
        while let unit = waiting.popFirst() {
            if unit.state == .new { place(unit, on: service) }
        }
    }

    private func matches(_ unit: UnitRecord, _ pilot: PilotRecord) -> Bool {
        let datacenter = unit.description.affinityDatacenterLabel
        let machine = unit.description.affinityMachineLabel
        return (datacenter == nil || datacenter == pilot.description.affinityDatacenterLabel)
            && (machine == nil || machine == pilot.description.affinityMachineLabel)
    }

    private func load(_ pilot: PilotRecord) -> Double {
        Double(pilot.openUnits) / Double(max(pilot.capacity, 1))
    }

    private func labels(_ unit: UnitRecord) -> String {
        "datacenter=\(unit.description.affinityDatacenterLabel ?? "any"), machine=\(unit.description.affinityMachineLabel ?? "any")"
    }

    func livePilots(of service: ComputeServiceRecord) -> [PilotRecord] {
        service.pilotServiceIDs.flatMap { pilotServices[$0]?.pilotIDs ?? [] }
            .compactMap { pilots[$0] }
            .filter(\.isLive)
    }

    func largestLiveCapacity(of service: ComputeServiceRecord) -> Int {
        livePilots(of: service).map(\.capacity).max() ?? 0
    }
}
