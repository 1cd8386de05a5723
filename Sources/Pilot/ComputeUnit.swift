/// One compute unit (a task run inside a pilot).
public struct ComputeUnit: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `cu-<uuid>`.
    public let id: String

    /// Its current state.
    public func state() throws(PilotError) -> State {
        try session.coordination.state(ofUnit: id)
    }

    /// A snapshot of everything known about it.
    public func details() throws(PilotError) -> UnitDetails {
        try session.coordination.details(ofUnit: id)
    }

    /// Waits until it is final; returns that state.
    @discardableResult
    public func wait(timeout: Double? = nil) throws(PilotError) -> State {
        try session.coordination.wait(unitID: id, timeout: timeout)
    }

    /// Cancels it: a running unit's whole process group is killed and it ends Canceled.
    public func cancel() throws(PilotError) {
        try session.coordination.cancel(unitIDs: [id])
    }

    /// Up to `limit` bytes of the unit's standard output (`error`: standard
    /// error) from `offset`, read by its agent on the node it runs on.
    public func output(error: Bool = false, offset: Int64 = 0, limit: Int = 1 << 20) throws(PilotError) -> OutputChunk {
        try session.coordination.output(of: .unit(id, error: error), offset: offset, limit: limit)
    }
}
