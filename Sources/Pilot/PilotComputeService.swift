/// A group of pilots (BigJob's PilotComputeService).
public struct PilotComputeService: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `pcs-<uuid>`.
    public let id: String

    /// Starts a pilot described by the contract's PilotComputeDescription
    /// keys (`service_url`, `number_of_processes`, `working_directory`, ...).
    public func createPilot(_ description: JSONValue) throws(PilotError) -> PilotCompute {
        PilotCompute(session: session, id: try session.coordination.createPilot(in: id, description: description))
    }

    /// The pilots created in this service.
    public func pilots() throws(PilotError) -> [PilotCompute] {
        try session.coordination.pilots(of: id).map { PilotCompute(session: session, id: $0) }
    }

    /// Cancels every pilot of the service and returns when all are final.
    public func cancel() throws(PilotError) {
        try session.coordination.cancel(pilotServiceID: id)
    }
}
