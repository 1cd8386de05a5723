import PilotModel

/// A message with a binary link encoding (see `WireReader`). Each message
/// starts with a tag byte naming its case.
package protocol WireMessage: Sendable {
    /// Appends the encoding of `self`.
    func write(to writer: inout WireWriter)
    /// Reads one message; throws `LinkError.malformedMessage` on a bad frame.
    init(from reader: inout WireReader) throws
}

extension AgentMessage: WireMessage {
    package func write(to writer: inout WireWriter) {
        switch self {
        case .hello(let hello):
            writer.tag(0)
            writer.string(hello.pilotID)
            writer.string(hello.nonce)
            writer.int(hello.protocolVersion)
            writer.string(hello.host)
            writer.integer(hello.pid)
            writer.int(hello.slots)
        case .started(let records):
            writer.tag(1)
            writer.list(records) { writer, record in record.write(to: &writer) }
        case .finished(let records):
            writer.tag(2)
            writer.list(records) { writer, record in
                writer.string(record.id)
                record.outcome.write(to: &writer)
                writer.double(record.time)
                writer.optional(record.stagedOut) { $0.double($1) }
            }
        case .heartbeat:
            writer.tag(3)
        case .inventory(let running, let queued):
            writer.tag(4)
            writer.list(running) { writer, record in record.write(to: &writer) }
            writer.list(queued) { $0.string($1) }
        case .proof(let proof):
            writer.tag(5)
            writer.string(proof)
        case .staging(let ids):
            writer.tag(6)
            writer.list(ids) { $0.string($1) }
        case .chunk(let chunk):
            writer.tag(7)
            chunk.write(to: &writer)
        case .log(let lines):
            writer.tag(8)
            writer.list(lines) { writer, line in
                writer.double(line.time)
                writer.enumeration(line.severity)
                writer.string(line.message)
            }
        }
    }

    package init(from reader: inout WireReader) throws {
        switch try reader.tag("agent message") {
        case 0:
            self = .hello(AgentHello(
                pilotID: try reader.string("pilot id"), nonce: try reader.string("nonce"),
                protocolVersion: try reader.int("protocol version"), host: try reader.string("host"),
                pid: try reader.integer(Int32.self, "pid"), slots: try reader.int("slots")))
        case 1:
            self = .started(try reader.list("started units") { try UnitStarted(from: &$0) })
        case 2:
            self = .finished(try reader.list("finished units") { reader in
                UnitFinished(id: try reader.string("unit id"), outcome: try UnitOutcome(from: &reader),
                             time: try reader.double("end time"),
                             stagedOut: try reader.optional("output staging time") { try $0.double("output staging time") })
            })
        case 3:
            self = .heartbeat
        case 4:
            self = .inventory(running: try reader.list("running units") { try UnitStarted(from: &$0) },
                              queued: try reader.list("queued units") { try $0.string("unit id") })
        case 5:
            self = .proof(try reader.string("proof"))
        case 6:
            self = .staging(try reader.list("staging units") { try $0.string("unit id") })
        case 7:
            self = .chunk(try FileChunk(from: &reader))
        case 8:
            self = .log(try reader.list("log lines") { reader in
                AgentLogLine(time: try reader.double("log time"), severity: try reader.enumeration(AgentLogLine.Severity.self, "severity"),
                             message: try reader.string("log message"))
            })
        case let other:
            throw LinkError.malformedMessage("unknown agent message \(other)")
        }
    }
}

extension CoordinatorMessage: WireMessage {
    package func write(to writer: inout WireWriter) {
        switch self {
        case .welcome:
            writer.tag(0)
        case .rejected(let reason):
            writer.tag(1)
            writer.string(reason)
        case .run(let tasks):
            writer.tag(2)
            writer.list(tasks) { writer, task in task.write(to: &writer) }
        case .cancel(let ids):
            writer.tag(3)
            writer.list(ids) { writer, id in writer.string(id) }
        case .shutdown(let reason):
            writer.tag(4)
            writer.string(reason)
        case .heartbeat:
            writer.tag(5)
        case .challenge(let nonce, let proof):
            writer.tag(6)
            writer.string(nonce)
            writer.string(proof)
        case .acknowledged(let count):
            writer.tag(7)
            writer.int(count)
        case .read(let read):
            writer.tag(8)
            read.write(to: &writer)
        }
    }

    package init(from reader: inout WireReader) throws {
        switch try reader.tag("coordinator message") {
        case 0: self = .welcome
        case 1: self = .rejected(reason: try reader.string("reason"))
        case 2: self = .run(try reader.list("units to run") { reader in try UnitTask(from: &reader) })
        case 3: self = .cancel(try reader.list("units to cancel") { reader in try reader.string("unit id") })
        case 4: self = .shutdown(reason: try reader.string("reason"))
        case 5: self = .heartbeat
        case 6: self = .challenge(nonce: try reader.string("nonce"), proof: try reader.string("proof"))
        case 7: self = .acknowledged(count: try reader.int("count"))
        case 8: self = .read(try FileRead(from: &reader))
        case let other: throw LinkError.malformedMessage("unknown coordinator message \(other)")
        }
    }
}

extension UnitTask {
    func write(to writer: inout WireWriter) {
        writer.string(id)
        switch command {
        case .argv(let arguments):
            writer.tag(0)
            writer.list(arguments) { writer, argument in writer.string(argument) }
        case .shell(let line):
            writer.tag(1)
            writer.string(line)
        }
        writer.list(environment) { writer, variable in
            writer.string(variable.name)
            writer.string(variable.value)
        }
        writer.string(workingDirectory)
        writer.optional(input) { writer, input in writer.string(input) }
        writer.string(output)
        writer.string(error)
        writer.int(slots)
        writer.tag(spmdVariation == .mpi ? 1 : 0)
        writer.optional(duration) { writer, duration in writer.double(duration) }
        writer.optional(timeLimit) { writer, limit in writer.double(limit) }
        writer.optional(staging) { writer, staging in staging.write(to: &writer) }
    }

    init(from reader: inout WireReader) throws {
        let id = try reader.string("unit id")
        let command: Command
        switch try reader.tag("command") {
        case 0: command = .argv(try reader.list("arguments") { reader in try reader.string("argument") })
        case 1: command = .shell(try reader.string("shell line"))
        case let other: throw LinkError.malformedMessage("unknown command kind \(other)")
        }
        let environment = try reader.list("environment") { reader in
            EnvironmentVariable(name: try reader.string("variable name"), value: try reader.string("variable value"))
        }
        self.init(
            id: id, command: command, environment: environment,
            workingDirectory: try reader.string("working directory"),
            input: try reader.optional("input") { reader in try reader.string("input") },
            output: try reader.string("output"), error: try reader.string("error"),
            slots: try reader.int("slots"),
            spmdVariation: try reader.bool("spmd variation") ? .mpi : .single,
            duration: try reader.optional("duration") { reader in try reader.double("duration") },
            timeLimit: try reader.optional("time limit") { reader in try reader.double("time limit") },
            staging: try reader.optional("staging") { reader in try UnitStaging(from: &reader) })
    }
}

extension UnitStaging {
    func write(to writer: inout WireWriter) {
        for directives in [input, output] {
            writer.list(directives) { writer, directive in
                writer.string(directive.source)
                writer.string(directive.target)
                writer.string(directive.action.rawValue)
            }
        }
        writer.bool(outputAfterFailure)
    }

    init(from reader: inout WireReader) throws {
        let read: (inout WireReader) throws -> StagingDirective = { reader in
            let source = try reader.string("staging source")
            let target = try reader.string("staging target")
            let name = try reader.string("staging action")
            guard let action = StagingAction(rawValue: name) else { throw LinkError.malformedMessage("unknown staging action \(quoted(name))") }
            return StagingDirective(source: source, target: target, action: action)
        }
        self.init(input: try reader.list("input staging", read), output: try reader.list("output staging", read),
                  outputAfterFailure: try reader.bool("stage out on failure"))
    }
}

extension UnitOutcome {
    func write(to writer: inout WireWriter) {
        switch self {
        case .exited(let code):
            writer.tag(0)
            writer.integer(code)
        case .signaled(let signal):
            writer.tag(1)
            writer.integer(signal)
        case .notStarted(let reason):
            writer.tag(2)
            writer.string(reason)
        case .canceled:
            writer.tag(3)
        case .withdrawn:
            writer.tag(4)
        case .timedOut(let limit):
            writer.tag(5)
            writer.double(limit)
        case .nodeLost(let reason):
            writer.tag(6)
            writer.string(reason)
        case .stagingFailed(let reason, let ran):
            writer.tag(7)
            writer.string(reason)
            writer.bool(ran)
        }
    }

    init(from reader: inout WireReader) throws {
        switch try reader.tag("outcome") {
        case 0: self = .exited(code: try reader.integer(Int32.self, "exit code"))
        case 1: self = .signaled(signal: try reader.integer(Int32.self, "signal"))
        case 2: self = .notStarted(reason: try reader.string("reason"))
        case 3: self = .canceled
        case 4: self = .withdrawn
        case 5: self = .timedOut(limit: try reader.double("time limit"))
        case 6: self = .nodeLost(reason: try reader.string("reason"))
        case 7: self = .stagingFailed(reason: try reader.string("reason"), ran: try reader.bool("ran"))
        case let other: throw LinkError.malformedMessage("unknown outcome \(other)")
        }
    }
}

extension UnitStarted {
    func write(to writer: inout WireWriter) {
        writer.string(id)
        writer.integer(pid)
        writer.double(time)
        writer.optional(node) { $0.string($1) }
        writer.optional(stagedIn) { $0.double($1) }
    }

    init(from reader: inout WireReader) throws {
        self.init(id: try reader.string("unit id"), pid: try reader.integer(Int32.self, "pid"), time: try reader.double("start time"),
                  node: try reader.optional("node") { try $0.string("node") },
                  stagedIn: try reader.optional("input staging time") { try $0.double("input staging time") })
    }
}
