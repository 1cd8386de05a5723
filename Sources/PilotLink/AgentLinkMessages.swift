import PilotModel

/// The agent link protocol: what the coordinator and an agent say to each
/// other. Every message that carries units carries a batch of them.
package enum WireProtocol {
    /// Bumped whenever a message changes shape; both ends must agree.
    package static let version = 7
}

/// One unit as the agent runs it: everything resolved, nothing left to look up.
package struct UnitTask: Sendable, Equatable {
    /// The unit's id (`cu-<uuid>`).
    package var id: String
    /// What to run.
    package var command: Command
    /// Variables added to the agent's environment.
    package var environment: [EnvironmentVariable]
    /// Where it runs; created if missing. A leading `~` is the agent's home.
    package var workingDirectory: String
    /// stdin file (relative to the working directory), nil for /dev/null.
    package var input: String?
    /// stdout file, relative to the working directory.
    package var output: String
    /// stderr file, relative to the working directory.
    package var error: String
    /// Slots it holds.
    package var slots: Int
    /// Single process or MPI.
    package var spmdVariation: SPMDVariation
    /// The declared run time in seconds, if any.
    package var duration: Double?
    /// Seconds after which the agent kills the unit, if any.
    package var timeLimit: Double?
    /// Files to stage in before it starts and out after it ends; nil: none.
    package var staging: UnitStaging?

    /// Creates a task from its parts.
    package init(id: String, command: Command, environment: [EnvironmentVariable], workingDirectory: String,
                input: String?, output: String, error: String, slots: Int, spmdVariation: SPMDVariation,
                duration: Double? = nil, timeLimit: Double? = nil, staging: UnitStaging? = nil) {
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
        self.staging = staging
    }
}

extension UnitTask {
    /// About the bytes its encoding takes: its strings and a little for the rest.
    package var approximateWireSize: Int {
        let commandBytes: Int
        switch command {
        case .argv(let arguments): commandBytes = arguments.reduce(0) { $0 + $1.utf8.count + 4 }
        case .shell(let line): commandBytes = line.utf8.count
        }
        let environmentBytes = environment.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 8 }
        let paths = [id, workingDirectory, input ?? "", output, error].reduce(0) { $0 + $1.utf8.count + 4 }
        let directives = (staging?.input ?? []) + (staging?.output ?? [])
        let stagingBytes = directives.reduce(0) { $0 + $1.source.utf8.count + $1.target.utf8.count + 12 }
        return commandBytes + environmentBytes + paths + stagingBytes + 64
    }
}

/// How a unit's process ended, as the agent saw it.
package enum UnitOutcome: Sendable, Equatable {
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
    /// A node the unit ran on stopped answering; the text names it. The
    /// unit may have done part of its work.
    case nodeLost(reason: String)
    /// Staging failed: input staging (the unit never ran) or output
    /// staging after it ran (`ran`); the text says what and how it ended.
    case stagingFailed(reason: String, ran: Bool)

    /// Whether the unit's process surely ran.
    package var ran: Bool {
        switch self {
        case .exited, .signaled, .timedOut, .nodeLost: true
        case .stagingFailed(_, let ran): ran
        case .notStarted, .canceled, .withdrawn: false
        }
    }
}

/// A unit the agent has started.
package struct UnitStarted: Sendable, Equatable {
    /// The unit's id.
    package var id: String
    /// The process id (also its process group id).
    package var pid: Int32
    /// Start time, seconds since 1970.
    package var time: Double
    /// The node it runs on (the first of an MPI unit's); nil: the agent's own.
    package var node: String?
    /// Seconds its input staging took, if it had any.
    package var stagedIn: Double?

    /// Creates the record.
    package init(id: String, pid: Int32, time: Double, node: String? = nil, stagedIn: Double? = nil) {
        self.id = id
        self.pid = pid
        self.time = time
        self.node = node
        self.stagedIn = stagedIn
    }
}

/// A unit the agent has finished with.
package struct UnitFinished: Sendable, Equatable {
    /// The unit's id.
    package var id: String
    /// How it ended.
    package var outcome: UnitOutcome
    /// End time, seconds since 1970.
    package var time: Double
    /// Seconds its output staging took, if it had any.
    package var stagedOut: Double?

    /// Creates the record.
    package init(id: String, outcome: UnitOutcome, time: Double, stagedOut: Double? = nil) {
        self.id = id
        self.outcome = outcome
        self.time = time
        self.stagedOut = stagedOut
    }
}

/// The agent's first message: who it is, and a fresh nonce the coordinator
/// must answer with a proof that it knows the pilot's secret. The secret
/// itself never crosses the link, so whoever holds the socket learns
/// nothing it could use (see `LinkProof`).
package struct AgentHello: Sendable, Equatable {
    /// The pilot this agent serves.
    package var pilotID: String
    /// Random text, new for every link.
    package var nonce: String
    /// The agent's `WireProtocol.version`.
    package var protocolVersion: Int
    /// The host the agent runs on.
    package var host: String
    /// The agent's process id.
    package var pid: Int32
    /// Slots the agent offers.
    package var slots: Int

    /// Creates the greeting.
    package init(pilotID: String, nonce: String, protocolVersion: Int, host: String, pid: Int32, slots: Int) {
        self.pilotID = pilotID
        self.nonce = nonce
        self.protocolVersion = protocolVersion
        self.host = host
        self.pid = pid
        self.slots = slots
    }
}

/// Messages from an agent to the coordinator.
package enum AgentMessage: Sendable, Equatable {
    /// The first message on a link.
    case hello(AgentHello)
    /// The answer to the coordinator's challenge: proof that the agent
    /// knows the pilot's secret.
    case proof(String)
    /// Units whose input staging began (they are Staging until they start).
    case staging([String])
    /// Units that started.
    case started([UnitStarted])
    /// Units that ended.
    case finished([UnitFinished])
    /// Sent when the agent has had nothing else to say for a while.
    case heartbeat
    /// After linking again (the coordinator restarted): the units the agent
    /// holds, running and queued. Bound units in neither list never reached it.
    case inventory(running: [UnitStarted], queued: [String])
    /// The answer to a `read`.
    case chunk(FileChunk)
    /// Lines the agent logged, for the pilot's log beside the coordinator.
    case log([AgentLogLine])
}

/// Messages from the coordinator to an agent.
package enum CoordinatorMessage: Sendable, Equatable {
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
    /// Read part of a file where the agent's units run (a unit's output).
    case read(FileRead)
}

/// Part of a file the coordinator asks an agent for: a unit's output on
/// the node the unit runs on.
package struct FileRead: Sendable, Equatable {
    /// Chosen by the coordinator; the answer carries it back.
    package var request: UInt64
    /// The file's absolute path.
    package var path: String
    /// The node it is on; nil: the agent's own.
    package var node: String?
    /// Where to start.
    package var offset: Int64
    /// At most this many bytes.
    package var limit: Int

    /// Creates a request.
    package init(request: UInt64, path: String, node: String?, offset: Int64, limit: Int) {
        (self.request, self.path, self.node, self.offset, self.limit) = (request, path, node, offset, limit)
    }
}

/// An agent's answer to a `FileRead`.
package struct FileChunk: Sendable, Equatable {
    /// The request answered.
    package var request: UInt64
    /// The bytes read.
    package var bytes: [UInt8]
    /// The file's size (0 if it does not exist yet).
    package var size: Int64
    /// Why nothing could be read, if so.
    package var problem: String?

    /// Creates an answer.
    package init(request: UInt64, bytes: [UInt8], size: Int64, problem: String?) {
        (self.request, self.bytes, self.size, self.problem) = (request, bytes, size, problem)
    }
}
