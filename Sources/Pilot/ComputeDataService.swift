/// A queue of units run by the pilots of the PilotComputeServices added to
/// it (BigJob's ComputeDataService).
public struct ComputeDataService: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `cds-<uuid>`.
    public let id: String

    /// Lets the pilots of `service` (present and future) run this service's units.
    public func add(_ service: PilotComputeService) throws(PilotError) {
        try session.coordination.add(pilotService: service.id, to: id)
    }

    /// Detaches `service`; its units already bound keep running.
    public func remove(_ service: PilotComputeService) throws(PilotError) {
        try session.coordination.remove(pilotService: service.id, from: id)
    }

    /// Submits one unit.
    public func submit(_ description: JSONValue) throws(PilotError) -> ComputeUnit {
        ComputeUnit(session: session, id: try session.coordination.submit(description, to: .service(id)))
    }

    /// Submits many units at once (all validated first; none submitted if one is bad).
    public func submit(many descriptions: [JSONValue]) throws(PilotError) -> [ComputeUnit] {
        try session.coordination.submit(many: descriptions, to: .service(id)).map { ComputeUnit(session: session, id: $0) }
    }

    /// A snapshot: its binding, the PilotComputeServices added to it, and
    /// whether it was cancelled, as the coordinator records them.
    public func details() throws(PilotError) -> ComputeServiceDetails {
        try session.coordination.details(ofComputeService: id)
    }

    /// Its units, in submission order.
    public func units() throws(PilotError) -> [ComputeUnit] {
        try session.coordination.units(ofComputeService: id).map { ComputeUnit(session: session, id: $0) }
    }

    /// Waits until every unit is final, showing progress as `progress`
    /// says. Throws a timeout error after `timeout` seconds, or an
    /// invalid-state error when queued units are left with no live pilot
    /// to run them.
    public func wait(timeout: Double? = nil, progress: ProgressReporting = .automatic) throws(PilotError) {
        try ProgressingWait(session: session, scope: id, reporting: progress).run(timeout: timeout) { slice throws(PilotError) in
            try session.coordination.wait(computeServiceID: id, timeout: slice)
        }
    }

    /// Cancels every unit; the service takes no more.
    public func cancel() throws(PilotError) {
        try session.coordination.cancel(computeServiceID: id)
    }
}
