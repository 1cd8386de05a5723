import PilotModel

/// One call a client process makes on a served coordinator (`pilotctl
/// serve`); each mirrors a method of `Coordination`.
package enum ClientCall: Sendable, Equatable {
    /// The first call on a link: the session secret proves the caller may use it.
    case hello(secret: String, protocolVersion: Int)
    /// `Coordination.createPilotComputeService()`.
    case createPilotComputeService
    /// `Coordination.createComputeDataService(binding:)`.
    case createComputeDataService(Binding)
    /// `Coordination.details(ofComputeService:)`.
    case computeServiceDetails(String)
    /// `Coordination.add(pilotService:to:)`.
    case add(pilotService: String, computeService: String)
    /// `Coordination.remove(pilotService:from:)`.
    case remove(pilotService: String, computeService: String)
    /// `Coordination.createPilot(in:description:)`.
    case createPilot(pilotService: String, description: JSONValue)
    /// `Coordination.pilots(of:)`.
    case pilots(pilotService: String)
    /// `Coordination.details(ofPilot:)`.
    case pilotDetails(String)
    /// `Coordination.cancel(pilotID:)`.
    case cancelPilot(String)
    /// `Coordination.cancel(pilotServiceID:)`.
    case cancelPilotService(String)
    /// `Coordination.wait(pilotStarted:timeout:)`.
    case waitPilotStarted(String, timeout: Double?)
    /// `Coordination.wait(pilotID:timeout:)`.
    case waitPilot(String, timeout: Double?)
    /// `Coordination.submit(_:to:)` (`many` false: one description, errors
    /// without an index prefix) or `submit(many:to:)`.
    case submit(UnitTarget, [JSONValue], many: Bool)
    /// `Coordination.details(ofUnit:)`.
    case unitDetails(String)
    /// `Coordination.state(ofUnit:)`.
    case unitState(String)
    /// `Coordination.wait(unitID:timeout:)`.
    case waitUnit(String, timeout: Double?)
    /// `Coordination.wait(computeServiceID:timeout:)`.
    case waitComputeService(String, timeout: Double?)
    /// `Coordination.cancel(unitIDs:)`.
    case cancelUnits([String])
    /// `Coordination.cancel(computeServiceID:)`.
    case cancelComputeService(String)
    /// `Coordination.units(ofComputeService:)`.
    case unitsOfComputeService(String)
    /// `Coordination.units(ofPilot:)`.
    case unitsOfPilot(String)
    /// Starts (true) or stops (false) the stream of state events on this link.
    case events(Bool)
    /// A Pilot-Data call.
    case data(DataRequest)
    /// `Coordination.overview(scope:listing:)`.
    case overview(scope: String?, listing: UnitListing)
    /// `Coordination.output(of:offset:limit:)`.
    case output(OutputSource, offset: Int64, limit: Int)
}

/// A numbered call; the reply carries the same serial.
package struct ClientRequest: Sendable, Equatable {
    /// Chosen by the client, unique among its outstanding calls.
    package var serial: UInt64
    /// What is asked.
    package var call: ClientCall

    /// Creates a request.
    package init(serial: UInt64, call: ClientCall) {
        self.serial = serial
        self.call = call
    }
}

/// The outcome of one call.
package enum ClientReply: Sendable, Equatable {
    /// Answer to `hello`: the served session's id.
    case welcome(sessionID: String)
    /// The call succeeded and returns nothing.
    case done
    /// An id (of a created object).
    case identifier(String)
    /// Ids, in order.
    case identifiers([String])
    /// A state.
    case state(State)
    /// A ComputeDataService snapshot.
    case computeServiceDetails(ComputeServiceDetails)
    /// A pilot snapshot.
    case pilotDetails(PilotDetails)
    /// A unit snapshot.
    case unitDetails(UnitDetails)
    /// The call failed; the client throws this error.
    case failure(PilotError)
    /// The answer to a Pilot-Data call.
    case data(DataReply)
    /// A session overview.
    case overview(SessionOverview)
    /// Bytes of a unit's output or an agent log.
    case output(OutputChunk)
}

/// What a served coordinator sends a client.
package enum ServerMessage: Sendable, Equatable {
    /// The outcome of the request with this serial.
    case reply(serial: UInt64, ClientReply)
    /// A state change, on links that asked for events.
    case event(StateEvent)
    /// Sent every `ClientProtocol.heartbeatInterval` to an admitted client,
    /// so that it notices a coordinator that stopped (its TCP peer still
    /// acknowledges, but nothing comes).
    case heartbeat
}

/// The version of the client protocol; both sides must agree.
package enum ClientProtocol {
    /// Bumped whenever a message's encoding changes.
    package static let version = 7
    /// Seconds between a served coordinator's heartbeats to a client.
    package static let heartbeatInterval: Int64 = 5
    /// Seconds of silence after which a client gives its coordinator up.
    package static let silenceLimit: Double = 30
}
