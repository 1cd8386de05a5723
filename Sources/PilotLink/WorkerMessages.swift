/// What an agent and its node workers say to each other. A node worker is a
/// `pilot-agent --node-worker` process that the agent starts once on each
/// other node of its allocation (through srun or ssh, whose stdin and stdout
/// carry these frames); it spawns the units placed on its node, so a unit
/// there costs a message instead of an srun or ssh of its own.
///
/// A unit is named by a token the agent picks (negative, unique while the
/// unit runs), so the agent knows it before the worker has a pid for it.
package struct WorkerSpawn: Sendable, Equatable {
    /// The agent's name for this unit.
    package var token: Int32
    /// argv lists tried in order until one starts (see `UnitCommandLine`).
    package var attempts: [[String]]
    /// `NAME=value` entries the pilot sets; the worker adds its own environment after them.
    package var environment: [String]
    /// Where the unit runs; made if missing.
    package var workingDirectory: String
    /// stdin file, nil for /dev/null.
    package var input: String?
    /// stdout file.
    package var output: String
    /// stderr file.
    package var error: String

    /// Creates a spawn order from its parts.
    package init(token: Int32, attempts: [[String]], environment: [String], workingDirectory: String,
                input: String?, output: String, error: String) {
        self.token = token
        self.attempts = attempts
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.input = input
        self.output = output
        self.error = error
    }
}

/// From the agent to a node worker.
package enum WorkerCommand: Sendable, Equatable {
    /// Start a unit.
    case spawn(WorkerSpawn)
    /// Send `signal` to the process group of the unit `token`.
    case signal(token: Int32, signal: Int32)
    /// Answer with `alive`: the agent checks that the worker still listens.
    case ping
    /// Read part of a file on the worker's node (a unit's output) and answer with `chunk`.
    case read(FileRead)
}

/// From a node worker to its agent.
package enum WorkerReport: Sendable, Equatable {
    /// The worker runs on `host` as process `pid` and takes orders.
    case ready(host: String, pid: Int32)
    /// Unit `token` started as process `pid`.
    case started(token: Int32, pid: Int32)
    /// Unit `token` could not start; `reason` says why.
    case notStarted(token: Int32, reason: String)
    /// Unit `token` ended with wait status `status`.
    case exited(token: Int32, status: Int32)
    /// The answer to `ping`.
    case alive
    /// The answer to `read`.
    case chunk(FileChunk)
}

extension WorkerCommand: WireMessage {
    package func write(to writer: inout WireWriter) {
        switch self {
        case .spawn(let spawn):
            writer.tag(0)
            writer.integer(spawn.token)
            writer.list(spawn.attempts) { writer, argv in writer.list(argv) { $0.string($1) } }
            writer.list(spawn.environment) { $0.string($1) }
            writer.string(spawn.workingDirectory)
            writer.optional(spawn.input) { $0.string($1) }
            writer.string(spawn.output)
            writer.string(spawn.error)
        case .signal(let token, let signal):
            writer.tag(1)
            writer.integer(token)
            writer.integer(signal)
        case .ping:
            writer.tag(2)
        case .read(let read):
            writer.tag(3)
            read.write(to: &writer)
        }
    }

    package init(from reader: inout WireReader) throws {
        switch try reader.tag("worker command") {
        case 0:
            self = .spawn(WorkerSpawn(
                token: try reader.integer(Int32.self, "token"),
                attempts: try reader.list("attempts") { reader in try reader.list("argv") { try $0.string("argument") } },
                environment: try reader.list("environment") { try $0.string("variable") },
                workingDirectory: try reader.string("working directory"),
                input: try reader.optional("input") { try $0.string("input") },
                output: try reader.string("output"),
                error: try reader.string("error")))
        case 1:
            self = .signal(token: try reader.integer(Int32.self, "token"), signal: try reader.integer(Int32.self, "signal"))
        case 2:
            self = .ping
        case 3:
            self = .read(try FileRead(from: &reader))
        case let other:
            throw LinkError.malformedMessage("unknown worker command \(other)")
        }
    }
}

extension WorkerReport: WireMessage {
    package func write(to writer: inout WireWriter) {
        switch self {
        case .ready(let host, let pid):
            writer.tag(0)
            writer.string(host)
            writer.integer(pid)
        case .started(let token, let pid):
            writer.tag(1)
            writer.integer(token)
            writer.integer(pid)
        case .notStarted(let token, let reason):
            writer.tag(2)
            writer.integer(token)
            writer.string(reason)
        case .exited(let token, let status):
            writer.tag(3)
            writer.integer(token)
            writer.integer(status)
        case .alive:
            writer.tag(4)
        case .chunk(let chunk):
            writer.tag(5)
            chunk.write(to: &writer)
        }
    }

    package init(from reader: inout WireReader) throws {
        switch try reader.tag("worker report") {
        case 0: self = .ready(host: try reader.string("host"), pid: try reader.integer(Int32.self, "pid"))
        case 1: self = .started(token: try reader.integer(Int32.self, "token"), pid: try reader.integer(Int32.self, "pid"))
        case 2: self = .notStarted(token: try reader.integer(Int32.self, "token"), reason: try reader.string("reason"))
        case 3: self = .exited(token: try reader.integer(Int32.self, "token"), status: try reader.integer(Int32.self, "status"))
        case 4: self = .alive
        case 5: self = .chunk(try FileChunk(from: &reader))
        case let other: throw LinkError.malformedMessage("unknown worker report \(other)")
        }
    }
}
