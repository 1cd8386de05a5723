import PilotCoordinator
import PilotModel
import PilotRemote

/// A coordination session and everything created through it. By default
/// the coordinator is embedded: closing the session (or releasing the last
/// reference) cancels every pilot, so nothing is left running. With a
/// `coordinationURL` the session lives in `pilotctl serve`: closing only
/// disconnects, and another process can reconnect to its objects.
public final class Session: Sendable {
    let coordination: any Coordination

    /// Opens a session: embedded, or connected to the standalone
    /// coordinator that `options.coordinationURL` names.
    public init(options: SessionOptions = SessionOptions()) throws(PilotError) {
        if let url = options.coordinationURL {
            coordination = try RemoteCoordinator(url: url)
        } else {
            coordination = try Coordinator(options: options)
        }
    }

    deinit {
        coordination.close()
    }

    /// The session's id (`ps-<uuid>`).
    public var id: String { coordination.sessionID }

    /// The URL other processes reconnect with (nil for an embedded session).
    public var coordinationURL: String? { coordination.coordinationURL }

    /// Whether the session still reaches its coordinator: false once the
    /// link to a served one is lost; a new session on its URL reconnects.
    public var isConnected: Bool { coordination.isConnected }

    /// Creates a PilotComputeService, the group pilots are created in.
    public func createPilotComputeService() throws(PilotError) -> PilotComputeService {
        PilotComputeService(session: self, id: try coordination.createPilotComputeService())
    }

    /// Creates a ComputeDataService: late binding (any pilot with room) by
    /// default, or early binding with affinity labels.
    public func createComputeDataService(binding: Binding = .late) throws(PilotError) -> ComputeDataService {
        ComputeDataService(session: self, id: try coordination.createComputeDataService(binding: binding))
    }

    /// The PilotComputeService with id `id` (`pcs-<uuid>`) in this session.
    public func pilotComputeService(id: String) throws(PilotError) -> PilotComputeService {
        _ = try coordination.pilots(of: id)
        return PilotComputeService(session: self, id: id)
    }

    /// The ComputeDataService with id `id` (`cds-<uuid>`) in this session.
    public func computeDataService(id: String) throws(PilotError) -> ComputeDataService {
        _ = try coordination.details(ofComputeService: id)
        return ComputeDataService(session: self, id: id)
    }

    /// The pilot with id `id` (`bj-<uuid>`) in this session.
    public func pilot(id: String) throws(PilotError) -> PilotCompute {
        _ = try coordination.details(ofPilot: id)
        return PilotCompute(session: self, id: id)
    }

    /// The unit with id `id` (`cu-<uuid>`) in this session.
    public func unit(id: String) throws(PilotError) -> ComputeUnit {
        _ = try coordination.state(ofUnit: id)
        return ComputeUnit(session: self, id: id)
    }

    /// Cancels the units with ids `ids` in one call, all or none: an
    /// unknown id is an error and cancels nothing. Returns once they are
    /// all final (running ones once their agents have killed them).
    public func cancelUnits(_ ids: [String]) throws(PilotError) {
        try coordination.cancel(unitIDs: ids)
    }

    /// The session's services and pilots, with its units (or those of the
    /// ComputeDataService or pilot with id `scope`) counted by state and
    /// listed as `listing` asks.
    public func overview(scope: String? = nil, listing: UnitListing = .none) throws(PilotError) -> SessionOverview {
        try coordination.overview(scope: scope, listing: listing)
    }

    /// Waits until every unit of the session is final, showing progress as
    /// `progress` says: the units of each ComputeDataService, then those
    /// submitted to pilots directly. Throws a timeout error after `timeout`
    /// seconds, or an invalid-state error when queued units are left with
    /// no live pilot to run them.
    public func wait(timeout: Double? = nil, progress: ProgressReporting = .automatic) throws(PilotError) {
        try ProgressingWait(session: self, scope: nil, reporting: progress).run(timeout: timeout) { slice throws(PilotError) in
            let limit = try WaitLimit(seconds: slice)
            let overview = try overview()
            for service in overview.computeServices {
                try coordination.wait(computeServiceID: service, timeout: limit.remaining)
            }
            for pilot in overview.pilots where pilot.openUnits > 0 && !pilot.state.isFinal {
                _ = try coordination.wait(pilotID: pilot.id, timeout: limit.remaining)
            }
        }
    }

    /// Calls `handler` for every later state change, on the delivery thread,
    /// in order per object; the handler may call back into the API.
    public func subscribe(_ handler: @escaping @Sendable (StateEvent) -> Void) throws(PilotError) -> UInt64 {
        try coordination.subscribe(handler)
    }

    /// Ends a subscription.
    public func unsubscribe(_ subscription: UInt64) throws(PilotError) {
        try coordination.unsubscribe(subscription)
    }

    /// Embedded: cancels every pilot and stops the coordinator. Served:
    /// disconnects, leaving the session to its other clients. Idempotent.
    public func close() {
        coordination.close()
    }
}
