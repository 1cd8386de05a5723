import PilotModel

/// PilotComputeServices, ComputeDataServices and the pilots in them.
extension Registry {
    /// Registers PilotComputeService `id`.
    func addPilotService(_ id: String) {
        pilotServices[id] = PilotServiceRecord(id: id)
        changes.append(.pilotServiceAdded(id))
    }

    /// Registers ComputeDataService `id`.
    func addComputeService(_ id: String, binding: Binding) {
        let service = ComputeServiceRecord(id: id, binding: binding)
        computeServices[id] = service
        changes.append(.computeService(service))
    }

    /// The PCS `pilotServiceID` and the ComputeDataService `computeServiceID`, or not-found.
    func services(_ pilotServiceID: String, _ computeServiceID: String)
        -> Result<(PilotServiceRecord, ComputeServiceRecord), PilotError> {
        guard let service = computeServices[computeServiceID] else { return .failure(.noObject(computeServiceID)) }
        guard let pilots = pilotServices[pilotServiceID] else { return .failure(.noObject(pilotServiceID)) }
        return .success((pilots, service))
    }

    /// Lets the pilots of `pilots` (present and future) run the units of `service`.
    func link(_ pilots: PilotServiceRecord, to service: ComputeServiceRecord) {
        guard !service.pilotServiceIDs.contains(pilots.id) else { return }
        service.pilotServiceIDs.append(pilots.id)
        pilots.computeServiceIDs.append(service.id)
        changes.append(.serviceLink(pilotService: pilots.id, computeService: service.id, linked: true))
        for pilotID in pilots.pilotIDs {
            guard let pilot = self.pilots[pilotID] else { continue }
            serve(service, by: pilot)
            requestScheduling(pilot)
        }
        placeWaitingUnits(of: service)
    }

    /// Detaches `pilots` from `service`; units already bound keep running.
    func unlink(_ pilots: PilotServiceRecord, from service: ComputeServiceRecord) {
        service.pilotServiceIDs.removeAll { $0 == pilots.id }
        pilots.computeServiceIDs.removeAll { $0 == service.id }
        changes.append(.serviceLink(pilotService: pilots.id, computeService: service.id, linked: false))
        for pilotID in pilots.pilotIDs {
            self.pilots[pilotID]?.servedServices.removeAll { $0 === service }
        }
        effects.broadcast = true
    }

    /// Cancels every unit of `service`, which takes no more.
    func cancel(_ service: ComputeServiceRecord) {
        service.canceled = true
        changes.append(.computeService(service))
        for unit in units.values where unit.service === service { cancel(unit) }
    }

    /// Registers a new Pending pilot in PCS `service`: it serves the
    /// service's ComputeDataServices, and early-bound units waiting for a
    /// pilot are placed.
    func add(_ pilot: PilotRecord, to service: PilotServiceRecord) {
        pilots[pilot.id] = pilot
        service.pilotIDs.append(pilot.id)
        changes.append(.pilot(pilot, Transition(from: .unknown, to: .pending, reason: nil)))
        let served = service.computeServiceIDs.compactMap { computeServices[$0] }
        for computeService in served { serve(computeService, by: pilot) }
        for computeService in served { placeWaitingUnits(of: computeService) }
    }

    /// Records that `pilot` takes units from `service`'s queue: late binding
    /// only (early binding places units on pilots at submission).
    func serve(_ service: ComputeServiceRecord, by pilot: PilotRecord) {
        if service.binding == .late { pilot.servedServices.append(service) }
    }

    /// Records a change of `pilot` that is not a change of state (its job, its host).
    func changed(_ pilot: PilotRecord) {
        changes.append(.pilot(pilot, nil))
    }
}
