import PilotModel

/// Snapshots and the conditions waits sleep on.
extension Registry {
    func details(of unit: UnitRecord) -> UnitDetails {
        var details = UnitDetails(id: unit.id, state: unit.state, submitted: unit.submitted, description: unit.source)
        details.reason = unit.reason
        details.pilotID = unit.pilotID
        details.serviceID = unit.serviceID
        details.exitCode = unit.exitCode
        details.signal = unit.signal
        details.pid = unit.pid
        details.host = unit.host
        details.workingDirectory = unit.workingDirectory
        details.bound = unit.bound
        details.started = unit.started
        details.finished = unit.finished
        details.stagedIn = unit.stagedIn
        details.stagedOut = unit.stagedOut
        return details
    }

    func details(of pilot: PilotRecord) -> PilotDetails {
        var details = PilotDetails(
            id: pilot.id, state: pilot.state, serviceID: pilot.serviceID, serviceURL: pilot.description.serviceURL.text,
            sandbox: pilot.sandbox, slots: pilot.capacity, created: pilot.created, description: pilot.source)
        details.reason = pilot.reason
        details.freeSlots = max(pilot.capacity - pilot.boundSlots, 0)
        details.openUnits = pilot.openUnits
        details.nativeID = pilot.job?.nativeID
        details.nativeState = pilot.nativeState
        details.host = pilot.host
        details.started = pilot.started
        details.finished = pilot.finished
        details.lastContact = pilot.lastContact
        // A wall time of 1e300 minutes is accepted; "infinite" has no JSON number.
        if pilot.state == .running, let deadline = pilot.deadline, deadline.isFinite {
            details.wallTimeLeft = max(0, deadline - WallClock.monotonic())
        }
        return details
    }

    func details(of service: ComputeServiceRecord) -> ComputeServiceDetails {
        ComputeServiceDetails(id: service.id, binding: service.binding, pilotServiceIDs: service.pilotServiceIDs, canceled: service.canceled)
    }

    /// Why a wait on `unit` can end now: nil while it should keep waiting.
    func waitOutcome(of unit: UnitRecord) -> Result<State, PilotError>? {
        if unit.state.isFinal { return .success(unit.state) }
        if unit.state == .new, let serviceID = unit.serviceID, let service = computeServices[serviceID],
           unit.assignedPilotID == nil, strandedMessage(service) != nil {
            return .failure(PilotError(.invalidState, "unit \(unit.id) is queued but no pilot of service \(serviceID) is alive; add a pilot or cancel the unit"))
        }
        return nil
    }

    /// Why a wait on `service` can end now: nil while it should keep waiting.
    func waitOutcome(of service: ComputeServiceRecord) -> Result<Void, PilotError>? {
        if service.openUnits == 0 { return .success(()) }
        if let message = strandedMessage(service) { return .failure(PilotError(.invalidState, message)) }
        return nil
    }

    /// Why a wait on `pilot` can end now: every unit it owns is final, or it is.
    func waitOutcome(of pilot: PilotRecord) -> Result<State, PilotError>? {
        pilot.state.isFinal || pilot.openUnits == 0 ? .success(pilot.state) : nil
    }

    /// A message when `service` holds queued units that no live pilot will
    /// ever take (it had pilots, and all are gone).
    private func strandedMessage(_ service: ComputeServiceRecord) -> String? {
        let everyPilot = service.pilotServiceIDs.flatMap { pilotServices[$0]?.pilotIDs ?? [] }
        guard !everyPilot.isEmpty, livePilots(of: service).isEmpty, !service.queue.isEmpty else { return nil }
        let queued = service.queue.elements.filter { !$0.state.isFinal }.count
        guard queued > 0 else { return nil }
        return "\(queued) units of service \(service.id) are queued but none of its pilots is alive; add a pilot or cancel them"
    }
}
