import PilotModel

/// Units: submission, queries, waits and cancellation; ComputeDataServices;
/// event subscriptions.
extension Coordinator {
    /// Validates and submits one unit; returns its id (`cu-<uuid>`).
    package func submit(_ json: JSONValue, to target: UnitTarget) throws(PilotError) -> String {
        let submission = Submission(id: IdentifierKind.unit.make(), source: json, description: try data.describe(json))
        return try register([submission], to: target)[0]
    }

    /// Validates every description first (none is submitted if one is bad;
    /// the error names its index), then submits all in order.
    package func submit(many jsons: [JSONValue], to target: UnitTarget) throws(PilotError) -> [String] {
        var parsed: [Submission] = []
        parsed.reserveCapacity(jsons.count)
        for (index, json) in jsons.enumerated() {
            do {
                parsed.append(Submission(id: IdentifierKind.unit.make(), source: json, description: try data.describe(json)))
            } catch {
                throw PilotError(error.code, "unit \(index): \(error.message)")
            }
        }
        return try register(parsed, to: target)
    }

    /// Pilot-Data calls.
    package func data(_ request: DataRequest) throws(PilotError) -> DataReply {
        try data.perform(request)
    }

    /// Checks the submission, journals the new units (a journal that cannot
    /// be written fails the call before anything changed), then registers
    /// and queues them.
    private func register(_ submissions: [Submission], to target: UnitTarget) throws(PilotError) -> [String] {
        try state.read { registry in registry.admission(of: submissions, to: target).map { _ in () } }.get()
        let submitted = WallClock.now()
        if state.journal != nil {
            var batch = JournalBatch()
            batch.units = submissions.map { unit in
                UnitRow(newUnit: unit.id, to: target, description: unit.source, submitted: submitted)
            }
            try state.record(batch)
        }
        return try state.mutate { $0.submit(submissions, to: target, at: submitted) }.get()
    }

    /// A snapshot of unit `id`.
    package func details(ofUnit id: String) throws(PilotError) -> UnitDetails {
        try read(unit: id) { registry, unit in registry.details(of: unit) }
    }

    /// The state of unit `id`.
    package func state(ofUnit id: String) throws(PilotError) -> State {
        try read(unit: id) { _, unit in unit.state }
    }

    /// Waits until unit `id` is final (returns that state), `timeout`
    /// seconds pass (nil: no limit), or it can never run.
    package func wait(unitID id: String, timeout: Double?) throws(PilotError) -> State {
        try wait(id, timeout: timeout) { (registry: Registry) -> Result<State, PilotError>? in
            guard let unit = registry.units[id] else { return .failure(PilotError.noObject(id)) }
            return registry.waitOutcome(of: unit)
        }
    }

    /// Waits until every unit of ComputeDataService `id` is final.
    package func wait(computeServiceID id: String, timeout: Double?) throws(PilotError) {
        try wait(id, timeout: timeout) { (registry: Registry) -> Result<Void, PilotError>? in
            guard let service = registry.computeServices[id] else { return .failure(PilotError.noObject(id)) }
            return registry.waitOutcome(of: service)
        }
    }

    /// Waits until every unit of pilot `id` is final, or the pilot is; returns the pilot's state.
    package func wait(pilotID id: String, timeout: Double?) throws(PilotError) -> State {
        try wait(id, timeout: timeout) { (registry: Registry) -> Result<State, PilotError>? in
            guard let pilot = registry.pilots[id] else { return .failure(PilotError.noObject(id)) }
            return registry.waitOutcome(of: pilot)
        }
    }

    /// Waits until pilot `id` has left Pending (Running or final); returns its state.
    package func wait(pilotStarted id: String, timeout: Double?) throws(PilotError) -> State {
        try wait(id, timeout: timeout) { (registry: Registry) -> Result<State, PilotError>? in
            guard let pilot = registry.pilots[id] else { return .failure(PilotError.noObject(id)) }
            return pilot.state == .pending ? nil : .success(pilot.state)
        }
    }

    private func wait<Value>(_ id: String, timeout: Double?,
                             _ outcome: (Registry) -> Result<Value, PilotError>?) throws(PilotError) -> Value {
        let limit = try WaitLimit(seconds: timeout)
        let result = watching(id) {
            state.registry.wait(until: limit.deadline) { registry -> Result<Value, PilotError>? in outcome(registry) }
        }
        guard let result else {
            throw PilotError(.timeout, "\(id) did not finish within \(limit.text)")
        }
        return try result.get()
    }

    /// Cancels units `ids` (a no-op for those final already; an unknown id
    /// is an error and cancels none) in one pass, and returns once they are
    /// all final: their agents have killed their process groups and reported.
    package func cancel(unitIDs ids: [String]) throws(PilotError) {
        try state.mutate { registry -> Result<Void, PilotError> in
            var units: [UnitRecord] = []
            units.reserveCapacity(ids.count)
            for id in ids {
                guard let unit = registry.units[id] else { return .failure(PilotError.noObject(id)) }
                units.append(unit)
            }
            for unit in units { registry.cancel(unit) }
            return .success(())
        }.get()
        // Queued units are final now; running ones once their agents report, awaited one by one.
        let running = state.read { registry in ids.filter { registry.units[$0].map { !$0.state.isFinal } ?? false } }
        for id in running {
            awaitCancellation(id) { registry in registry.units[id].map { $0.state.isFinal } ?? true }
        }
    }

    /// Cancels every unit of ComputeDataService `id`, which takes no more
    /// units, and returns once they are all final.
    package func cancel(computeServiceID id: String) throws(PilotError) {
        try state.mutate { registry -> Result<Void, PilotError> in
            guard let service = registry.computeServices[id] else { return .failure(PilotError.noObject(id)) }
            return .success(registry.cancel(service))
        }.get()
        awaitCancellation(id) { registry in registry.computeServices[id].map { $0.openUnits == 0 } ?? true }
    }

    /// Sleeps until `done` holds. Bounded: an agent that never answers is
    /// declared lost by the heartbeat, which ends its units anyway.
    private func awaitCancellation(_ id: String, _ done: (Registry) -> Bool) {
        let deadline = WallClock.monotonic() + Self.cancelGrace + options.heartbeatTimeout
        watching(id) {
            _ = state.registry.wait(until: deadline) { registry -> Bool? in done(registry) ? true : nil }
        }
    }

    /// Runs a wait on `id` with `id` watched, so the registry wakes it.
    private func watching<Value>(_ id: String, _ wait: () -> Value) -> Value {
        state.mutate { $0.watch(id) }
        defer { state.mutate { $0.unwatch(id) } }
        return wait()
    }

    /// The ids of the units of ComputeDataService `id`, in submission order.
    package func units(ofComputeService id: String) throws(PilotError) -> [String] {
        try state.read { registry -> Result<[String], PilotError> in
            guard registry.computeServices[id] != nil else { return .failure(PilotError.noObject(id)) }
            return .success(registry.units.values.filter { $0.serviceID == id }.sorted { $0.submitted < $1.submitted }.map(\.id))
        }.get()
    }

    /// The ids of the units submitted or bound to pilot `id`, in submission order.
    package func units(ofPilot id: String) throws(PilotError) -> [String] {
        try read(pilot: id) { registry, _ in
            registry.units.values.filter { $0.ownerPilot?.id == id }.sorted { $0.submitted < $1.submitted }.map(\.id)
        }
    }

    // MARK: Events

    /// Calls `handler` for every later state change of every pilot and unit,
    /// on the delivery thread, in order per object. Returns the subscription id.
    package func subscribe(_ handler: @escaping @Sendable (StateEvent) -> Void) throws(PilotError) -> UInt64 {
        guard let id = state.delivery.subscribe(handler) else {
            throw PilotError(.internal, "cannot start the event delivery thread")
        }
        state.mutate { $0.changes.eventsWanted = true }
        return id
    }

    /// Ends a subscription; once this returns (off the delivery thread) its handler is not running.
    package func unsubscribe(_ id: UInt64) throws(PilotError) {
        guard state.delivery.unsubscribe(id) else {
            throw PilotError(.notFound, "no subscription \(id) in this session")
        }
        let stillWanted = state.delivery.hasSubscribers
        state.mutate { $0.changes.eventsWanted = stillWanted }
    }
}
