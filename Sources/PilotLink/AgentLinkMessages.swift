import PilotModel

/// The agent link protocol: what the coordinator and an agent say to each
/// other. Every message that carries units carries a batch of them.
public enum WireProtocol {
    /// Bumped whenever a message changes shape; both ends must agree.
    public static let version = 4
}

/// One unit as the agent runs it: everything resolved, nothing left to look up.
public struct UnitTask: Sendable, Equatable {
    /// The unit's id (`cu-<uuid>`).
    public var id: String
    /// What to run.
    public var command: Command
    /// Variables added to the agent's environment.
    public var environment: [EnvironmentVariable]
    /// Where it runs; created if missing. A leading `~` is the agent's home.
    public var workingDirectory: String
    /// stdin file (relative to the working directory), nil for /dev/null.
    public var input: String?
    /// stdout file, relative to the working directory.
    public var output: String
    /// stderr file, relative to the working directory.
    public var error: String
    /// Slots it holds.
    public var slots: Int
    /// Single process or MPI.
    public var spmdVariation: SPMDVariation
    /// The declared run time in seconds, if any.
    public var duration: Double?
    /// Seconds after which the agent kills the unit, if any.
    public var timeLimit: Double?

    /// Creates a task from its parts.
    public init(id: String, command: Command, environment: [EnvironmentVariable], workingDirectory: String,
                input: String?, output: String, error: String, slots: Int, spmdVariation: SPMDVariation,
                duration: Double? = nil, timeLimit: Double? = nil) {
        self.id = id
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.input = input
        self.output = output
        self.error = error
        self.slots = slots
        self.spmdVariation = spmdVariation
        self.duration = duration
        self.timeLimit = timeLimit
    }
}

/// How a unit's process ended, as the agent saw it.
public enum UnitOutcome: Sendable, Equatable {
    /// The process exited with this status.
    case exited(code: Int32)
    /// The process was killed by this signal.
    case signaled(signal: Int32)
    /// The process could not be started; the text says why.
    case notStarted(reason: String)
    /// The unit was cancelled (before or while running).
    case canceled
    /// The unit never started: the agent, shutting down, handed it back.
    case withdrawn
    /// The unit ran past its time limit (seconds) and was killed.
    case timedOut(limit: Double)

    /// Whether the unit's process surely ran.
    public var ran: Bool {
        switch self {
        case .exited, .signaled, .timedOut: true
        case .notStarted, .canceled, .withdrawn: false
        }
    }
}

/// A unit the agent has started.
public struct UnitStarted: Sendable, Equatable {
    /// The unit's id.
    public var id: String
    /// The process id (also its process group id).
    public var pid: Int32
    /// Start time, seconds since 1970.
    public var time: Double

    /// Creates the record.
    public init(id: String, pid: Int32, time: Double) {
        self.id = id
        self.pid = pid
        self.time = time
    }
}

/// A unit the agent has finished with.
public struct UnitFinished: Sendable, Equatable {
    /// The unit's id.
    public var id: String
    /// How it ended.
    public var outcome: UnitOutcome
    /// End time, seconds since 1970.
    public var time: Double

    /// Creates the record.
    public init(id: String, outcome: UnitOutcome, time: Double) {
        self.id = id
        self.outcome = outcome
        self.time = time
    }
}

/// The agent's first message: who it is, and a fresh nonce the coordinator
/// must answer with a proof that it knows the pilot's secret. The secret
/// itself never crosses the link, so whoever holds the socket learns
/// nothing it could use (see `LinkProof`).
public struct AgentHello: Sendable, Equatable {
    /// The pilot this agent serves.
    public var pilotID: String
    /// Random text, new for every link.
    public var nonce: String
    /// The agent's `WireProtocol.version`.
    public var protocolVersion: Int
    /// The host the agent runs on.
    public var host: String
    /// The agent's process id.
    public var pid: Int32
    /// Slots the agent offers.
    public var slots: Int

    /// Creates the greeting.
    public init(pilotID: String, nonce: String, protocolVersion: Int, host: String, pid: Int32, slots: Int) {
        self.pilotID = pilotID
        self.nonce = nonce
        self.protocolVersion = protocolVersion
        self.host = host
        self.pid = pid
        self.slots = slots
    }
}

/// Messages from an agent to the coordinator.
public enum AgentMessage: Sendable, Equatable {
    /// The first message on a link.
    case hello(AgentHello)
    /// The answer to the coordinator's challenge: proof that the agent
    /// knows the pilot's secret.
    case proof(String)
    /// Units that started.
    case started([UnitStarted])
    /// Units that ended.
    case finished([UnitFinished])
    /// Sent when the agent has had nothing else to say for a while.
    case heartbeat
    /// After linking again (the coordinator restarted): the units the agent
    /// holds, running and queued. Bound units in neither list never reached it.
    case inventory(running: [UnitStarted], queued: [String])
}

/// Messages from the coordinator to an agent.
public enum CoordinatorMessage: Sendable, Equatable {
    /// The answer to a hello: the coordinator's proof that it knows the
    /// pilot's secret (over the agent's nonce and its own), and its own
    /// nonce for the agent's proof.
    case challenge(nonce: String, proof: String)
    /// The agent's proof was accepted: the link is up.
    case welcome
    /// The hello was refused; the agent exits.
    case rejected(reason: String)
    /// Units to run, in order.
    case run([UnitTask])
    /// Units to cancel (queued ones are dropped, running ones killed).
    case cancel([String])
    /// Stop every unit and exit.
    case shutdown(reason: String)
    /// Sent when the coordinator has had nothing else to say for a while.
    case heartbeat
    /// The first `count` finished records the agent sent on this link are
    /// recorded (in the journal, when there is one): the agent may forget them.
    case acknowledged(count: Int)
}
