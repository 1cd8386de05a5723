/// A snapshot of a compute unit, as `get_details()` reports it.
public struct UnitDetails: Sendable, Equatable, Encodable {
    /// `cu-<uuid>`.
    public var id: String
    /// Current state.
    public var state: State
    /// Why it failed or was cancelled.
    public var reason: String?
    /// The pilot it is bound to.
    public var pilotID: String?
    /// The ComputeDataService it was submitted to.
    public var serviceID: String?
    /// Exit status, when it exited.
    public var exitCode: Int32?
    /// The signal that killed it, when one did.
    public var signal: Int32?
    /// Process id (and process group) while and after it ran.
    public var pid: Int32?
    /// Host it ran on.
    public var host: String?
    /// Directory it ran in (its sandbox unless the description named one).
    public var workingDirectory: String?
    /// Submission time, seconds since 1970.
    public var submitted: Double
    /// Time it was bound to a pilot.
    public var bound: Double?
    /// Time its process started.
    public var started: Double?
    /// Time it reached a final state.
    public var finished: Double?
    /// Seconds its input staging took, when it had any.
    public var stagedIn: Double?
    /// Seconds its output staging took, when it had any.
    public var stagedOut: Double?
    /// The description as given, re-rendered.
    public var description: JSONValue

    /// Creates a snapshot with the given identity; the other fields start empty.
    public init(id: String, state: State, submitted: Double, description: JSONValue) {
        self.id = id
        self.state = state
        self.submitted = submitted
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case id, state, reason, signal, pid, host, submitted, bound, started, finished, description
        case pilotID = "pilot_id", serviceID = "service_id", exitCode = "exit_code"
        case workingDirectory = "working_directory"
        case stagedIn = "staging_input_seconds", stagedOut = "staging_output_seconds"
    }

}

/// A snapshot of a pilot, as `get_details()` reports it.
public struct PilotDetails: Sendable, Equatable, Encodable {
    /// `bj-<uuid>`.
    public var id: String
    /// Current state.
    public var state: State
    /// Why it failed, was cancelled or ended.
    public var reason: String?
    /// The PilotComputeService it belongs to.
    public var serviceID: String
    /// Where it runs.
    public var serviceURL: String
    /// Its sandbox directory.
    public var sandbox: String
    /// Slots it owns.
    public var slots: Int
    /// Slots not held by bound units (as the coordinator accounts them).
    public var freeSlots: Int
    /// Units submitted to or bound to it that are not final.
    public var openUnits: Int
    /// The resource manager's id for its job.
    public var nativeID: String?
    /// The resource manager's own state of the job (a batch system's
    /// `PENDING`, `RUNNING`, `CANCELLED`...); nil where it has none (fork, ssh).
    public var nativeState: String?
    /// The agent's host, once linked.
    public var host: String?
    /// Creation time, seconds since 1970.
    public var created: Double
    /// Time the agent linked (Running).
    public var started: Double?
    /// Time it reached a final state.
    public var finished: Double?
    /// Time the coordinator last heard from the agent.
    public var lastContact: Double?
    /// Seconds until its wall time is up, while it runs.
    public var wallTimeLeft: Double?
    /// The description as given.
    public var description: JSONValue

    /// Creates a snapshot with the given identity; the other fields start empty.
    public init(id: String, state: State, serviceID: String, serviceURL: String, sandbox: String,
                slots: Int, created: Double, description: JSONValue) {
        self.id = id
        self.state = state
        self.serviceID = serviceID
        self.serviceURL = serviceURL
        self.sandbox = sandbox
        self.slots = slots
        self.freeSlots = slots
        self.openUnits = 0
        self.created = created
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case id, state, reason, sandbox, slots, host, created, started, finished, description
        case serviceID = "service_id", serviceURL = "service_url", freeSlots = "free_slots"
        case openUnits = "open_units", nativeID = "native_id", nativeState = "native_state", lastContact = "last_contact"
        case wallTimeLeft = "wall_time_left"
    }

}
