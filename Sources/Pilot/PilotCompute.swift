/// One pilot: an allocation running an agent that executes units.
public struct PilotCompute: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `bj-<uuid>`.
    public let id: String

    /// Its current state.
    public func state() throws(PilotError) -> State {
        try details().state
    }

    /// A snapshot of everything known about it.
    public func details() throws(PilotError) -> PilotDetails {
        try session.coordination.details(ofPilot: id)
    }

    /// Submits a unit straight to this pilot.
    public func submit(_ description: JSONValue) throws(PilotError) -> ComputeUnit {
        ComputeUnit(session: session, id: try session.coordination.submit(description, to: .pilot(id)))
    }

    /// Submits many units straight to this pilot (all validated first).
    public func submit(many descriptions: [JSONValue]) throws(PilotError) -> [ComputeUnit] {
        try session.coordination.submit(many: descriptions, to: .pilot(id)).map { ComputeUnit(session: session, id: $0) }
    }

    /// The units submitted or bound to it.
    public func units() throws(PilotError) -> [ComputeUnit] {
        try session.coordination.units(ofPilot: id).map { ComputeUnit(session: session, id: $0) }
    }

    /// Waits until it has left Pending; returns its state then.
    @discardableResult
    public func waitUntilStarted(timeout: Double? = nil) throws(PilotError) -> State {
        try session.coordination.wait(pilotStarted: id, timeout: timeout)
    }

    /// Waits until every unit it owns is final, or it is; returns its state.
    @discardableResult
    public func wait(timeout: Double? = nil) throws(PilotError) -> State {
        try session.coordination.wait(pilotID: id, timeout: timeout)
    }

    /// Cancels it and its units; returns when nothing of it runs any more.
    public func cancel() throws(PilotError) {
        try session.coordination.cancel(pilotID: id)
    }

    /// Up to `limit` bytes of its agent's log from `offset`.
    public func agentLog(offset: Int64 = 0, limit: Int = 1 << 20) throws(PilotError) -> OutputChunk {
        try session.coordination.output(of: .agentLog(id), offset: offset, limit: limit)
    }
}
