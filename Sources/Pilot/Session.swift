@_exported import PilotCoordinator
@_exported import PilotModel

/// A coordination session: the embedded coordinator and everything created
/// through it. Closing it (or releasing the last reference) cancels every
/// pilot, so nothing is left running.
public final class Session: Sendable {
    let coordinator: Coordinator

    /// Opens a session with an embedded coordinator.
    public init(options: SessionOptions = SessionOptions()) throws(PilotError) {
        coordinator = try Coordinator(options: options)
    }

    deinit {
        coordinator.close()
    }

    /// The session's id (`ps-<uuid>`).
    public var id: String { coordinator.sessionID }

    /// Creates a PilotComputeService, the group pilots are created in.
    public func createPilotComputeService() throws(PilotError) -> PilotComputeService {
        PilotComputeService(session: self, id: try coordinator.createPilotComputeService())
    }

    /// Creates a ComputeDataService: late binding (any pilot with room) by
    /// default, or early binding with affinity labels.
    public func createComputeDataService(binding: Binding = .late) throws(PilotError) -> ComputeDataService {
        ComputeDataService(session: self, id: try coordinator.createComputeDataService(binding: binding))
    }

    /// The pilot with id `id` (`bj-<uuid>`) in this session.
    public func pilot(id: String) throws(PilotError) -> PilotCompute {
        _ = try coordinator.details(ofPilot: id)
        return PilotCompute(session: self, id: id)
    }

    /// The unit with id `id` (`cu-<uuid>`) in this session.
    public func unit(id: String) throws(PilotError) -> ComputeUnit {
        _ = try coordinator.state(ofUnit: id)
        return ComputeUnit(session: self, id: id)
    }

    /// Calls `handler` for every later state change, on the delivery thread,
    /// in order per object; the handler may call back into the API.
    public func subscribe(_ handler: @escaping @Sendable (StateEvent) -> Void) throws(PilotError) -> UInt64 {
        try coordinator.subscribe(handler)
    }

    /// Ends a subscription.
    public func unsubscribe(_ subscription: UInt64) throws(PilotError) {
        try coordinator.unsubscribe(subscription)
    }

    /// Cancels every pilot and stops the coordinator. Idempotent.
    public func close() {
        coordinator.close()
    }
}
