import PilotModel

/// One call a client process makes on a served coordinator (`pilotctl
/// serve`); each mirrors a method of `Coordination`.
public enum ClientCall: Sendable, Equatable {
    /// The first call on a link: the session secret proves the caller may use it.
    case hello(secret: String, protocolVersion: Int)
    case createPilotComputeService
    case createComputeDataService(Binding)
    case binding(computeService: String)
    case add(pilotService: String, computeService: String)
    case remove(pilotService: String, computeService: String)
    case createPilot(pilotService: String, description: JSONValue)
    case pilots(pilotService: String)
    case pilotDetails(String)
    case cancelPilot(String)
    case cancelPilotService(String)
    case waitPilotStarted(String, timeout: Double?)
    case waitPilot(String, timeout: Double?)
    /// `many` false: one description, errors without an index prefix.
    case submit(UnitTarget, [JSONValue], many: Bool)
    case unitDetails(String)
    case unitState(String)
    case waitUnit(String, timeout: Double?)
    case waitComputeService(String, timeout: Double?)
    case cancelUnit(String)
    case cancelComputeService(String)
    case unitsOfComputeService(String)
    case unitsOfPilot(String)
    /// Starts (true) or stops (false) the stream of state events on this link.
    case events(Bool)
}

/// A numbered call; the reply carries the same serial.
public struct ClientRequest: Sendable, Equatable {
    /// Chosen by the client, unique among its outstanding calls.
    public var serial: UInt64
    /// What is asked.
    public var call: ClientCall

    /// Creates a request.
    public init(serial: UInt64, call: ClientCall) {
        self.serial = serial
        self.call = call
    }
}

/// The outcome of one call.
public enum ClientReply: Sendable, Equatable {
    /// Answer to `hello`: the served session's id.
    case welcome(sessionID: String)
    case done
    case identifier(String)
    case identifiers([String])
    case state(State)
    case binding(Binding)
    case pilotDetails(PilotDetails)
    case unitDetails(UnitDetails)
    case failure(PilotError)
}

/// What a served coordinator sends a client.
public enum ServerMessage: Sendable, Equatable {
    /// The outcome of the request with this serial.
    case reply(serial: UInt64, ClientReply)
    /// A state change, on links that asked for events.
    case event(StateEvent)
}

/// The version of the client protocol; both sides must agree.
public enum ClientProtocol {
    /// Bumped whenever a message's encoding changes.
    public static let version = 1
}
