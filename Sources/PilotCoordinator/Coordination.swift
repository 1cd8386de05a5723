import PilotModel

/// What a session asks of its coordinator. The embedded `Coordinator`
/// answers in-process; a remote one forwards each call to `pilotctl serve`.
/// Every method is thread-safe and may block (waits, cancels).
package protocol Coordination: AnyObject, Sendable {
    /// The session's id (`ps-<uuid>`).
    var sessionID: String { get }
    /// The URL other processes reconnect with; nil for an embedded session.
    var coordinationURL: String? { get }
    /// Whether calls can still reach the coordinator: false once the link to
    /// a served one is lost (open a new session on its URL to reconnect).
    var isConnected: Bool { get }

    /// Creates a PilotComputeService; returns its id.
    func createPilotComputeService() throws(PilotError) -> String
    /// Creates a ComputeDataService; returns its id.
    func createComputeDataService(binding: Binding) throws(PilotError) -> String
    /// A snapshot of ComputeDataService `id`: binding, PCSs, cancelled (not-found if there is none).
    func details(ofComputeService id: String) throws(PilotError) -> ComputeServiceDetails
    /// Lets the pilots of a PCS (present and future) run a ComputeDataService's units.
    func add(pilotService: String, to computeService: String) throws(PilotError)
    /// Detaches a PCS from a ComputeDataService.
    func remove(pilotService: String, from computeService: String) throws(PilotError)

    /// Validates a pilot description, registers the pilot and starts its agent.
    func createPilot(in pilotService: String, description: JSONValue) throws(PilotError) -> String
    /// The ids of the pilots of a PCS.
    func pilots(of pilotService: String) throws(PilotError) -> [String]
    /// A snapshot of a pilot.
    func details(ofPilot id: String) throws(PilotError) -> PilotDetails
    /// Cancels a pilot; returns once it is final.
    func cancel(pilotID: String) throws(PilotError)
    /// Cancels every pilot of a PCS; returns once all are final.
    func cancel(pilotServiceID: String) throws(PilotError)
    /// Waits until a pilot has left Pending; returns its state.
    func wait(pilotStarted id: String, timeout: Double?) throws(PilotError) -> State
    /// Waits until a pilot's units are final, or the pilot is.
    func wait(pilotID id: String, timeout: Double?) throws(PilotError) -> State

    /// Validates and submits one unit; returns its id.
    func submit(_ description: JSONValue, to target: UnitTarget) throws(PilotError) -> String
    /// Validates every description, then submits all in order.
    func submit(many descriptions: [JSONValue], to target: UnitTarget) throws(PilotError) -> [String]
    /// A snapshot of a unit.
    func details(ofUnit id: String) throws(PilotError) -> UnitDetails
    /// A unit's state.
    func state(ofUnit id: String) throws(PilotError) -> State
    /// Waits until a unit is final; returns its state.
    func wait(unitID id: String, timeout: Double?) throws(PilotError) -> State
    /// Waits until every unit of a ComputeDataService is final.
    func wait(computeServiceID id: String, timeout: Double?) throws(PilotError)
    /// Cancels units, all or none (an unknown id is an error and cancels
    /// nothing); returns once they are all final.
    func cancel(unitIDs ids: [String]) throws(PilotError)
    /// Cancels every unit of a ComputeDataService, which takes no more.
    func cancel(computeServiceID id: String) throws(PilotError)
    /// The units of a ComputeDataService, in submission order.
    func units(ofComputeService id: String) throws(PilotError) -> [String]
    /// The units submitted or bound to a pilot, in submission order.
    func units(ofPilot id: String) throws(PilotError) -> [String]

    /// The session's services and pilots, with its units (or those of the
    /// ComputeDataService or pilot `scope`) counted by state, and listed as
    /// `listing` asks. Unknown `scope`: not-found.
    func overview(scope: String?, listing: UnitListing) throws(PilotError) -> SessionOverview

    /// Up to `limit` bytes of a unit's output (read by its agent, wherever
    /// it runs) or of a pilot's agent log, from `offset`.
    func output(of source: OutputSource, offset: Int64, limit: Int) throws(PilotError) -> OutputChunk

    /// Carries out one Pilot-Data call (pilot data services, pilot data, data units).
    func data(_ request: DataRequest) throws(PilotError) -> DataReply

    /// Calls `handler` for every later state change, on a delivery thread.
    func subscribe(_ handler: @escaping @Sendable (StateEvent) -> Void) throws(PilotError) -> UInt64
    /// Ends a subscription.
    func unsubscribe(_ id: UInt64) throws(PilotError)
    /// Ends this process's use of the session: an embedded coordinator
    /// cancels every pilot; a remote one only disconnects. Idempotent.
    func close()
}
