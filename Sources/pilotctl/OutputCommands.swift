import ArgumentParser
import Pilot
import PilotModel
import PilotShell
import PilotSystem

/// Which output of a unit `cat` and `tail` read.
struct UnitOutputArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The unit (cu-...).", valueName: "unit"))
    var unit: String

    @Flag(help: "Its standard error instead of its standard output.")
    var stderr = false

    /// A reader of that output, through the unit's agent.
    func reader(in session: Session) throws(PilotError) -> OutputReader {
        let unit = try session.unit(id: unit)
        let error = stderr
        return OutputReader { offset, limit throws(PilotError) in try unit.output(error: error, offset: offset, limit: limit) }
    }
}

/// `pilotctl cat`: a unit's whole output so far.
struct CatCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a unit's output, read by its agent on the node it runs on.")

    @OptionGroup var sessionArguments: SessionArguments
    @OptionGroup var output: UnitOutputArguments

    func run(in session: Session) throws {
        _ = try output.reader(in: session).copy(from: 0) { StandardStreams.output(bytes: $0) }
    }
}

/// `pilotctl tail`: the end of a unit's output, and with -f what follows.
struct TailCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the last lines of a unit's output; with -f, follow it until the unit ends.")

    @OptionGroup var sessionArguments: SessionArguments
    @OptionGroup var output: UnitOutputArguments

    @Option(name: [.customShort("n"), .customLong("lines")], help: "Lines to print first.")
    var lines = 10

    @Flag(name: [.short, .long], help: "Keep printing what the unit writes until it is final.")
    var follow = false

    func validate() throws {
        guard lines >= 0 else { throw ValidationError("--lines must not be negative") }
    }

    func run(in session: Session) throws {
        try Tail(reader: output.reader(in: session), lines: lines, follow: follow).run()
        if follow { try Tail.reportEnd(of: session.unit(id: output.unit).details()) }
    }
}

/// `pilotctl logs`: a pilot's agent log.
struct LogsCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a pilot's agent log; with -f, follow it until the pilot ends.")

    @OptionGroup var sessionArguments: SessionArguments

    @Argument(help: ArgumentHelp("The pilot (bj-...).", valueName: "pilot"))
    var pilot: String

    @Option(name: [.customShort("n"), .customLong("lines")], help: "Print only the last this many lines first (default: all).")
    var lines: Int?

    @Flag(name: [.short, .long], help: "Keep printing what the agent logs until the pilot is final.")
    var follow = false

    func run(in session: Session) throws {
        let pilot = try session.pilot(id: pilot)
        let reader = OutputReader { offset, limit throws(PilotError) in try pilot.agentLog(offset: offset, limit: limit) }
        try Tail(reader: reader, lines: lines, follow: follow).run()
        if follow {
            let details = try pilot.details()
            try Tail.reportEnd(of: details.id, details.state, details.reason)
        }
    }
}

/// What `tail` and `logs` share: the last lines, then maybe what follows.
struct Tail {
    let reader: OutputReader
    /// Lines to start with; nil: the whole file.
    let lines: Int?
    let follow: Bool

    /// After following a unit to its end: says how it ended unless Done;
    /// a Failed one makes the command fail (exit status 1).
    static func reportEnd(of unit: UnitDetails) throws {
        try reportEnd(of: unit.id, unit.state, unit.reason)
    }

    /// After following `id` to its end, in `state` for `reason`.
    static func reportEnd(of id: String, _ state: State, _ reason: String?) throws {
        guard state != .done else { return }
        let sentence = "\(id) ended \(state.name)" + (reason.map { ": \($0)" } ?? "")
        if state == .failed { throw CommandFailure(PilotError(.backend, sentence)) }
        StandardStreams.error("pilotctl: \(sentence)\n")
    }

    func run() throws(PilotError) {
        let start = try lines.map { count throws(PilotError) in try reader.start(ofLast: count) } ?? 0
        if follow {
            try reader.follow(from: start, interval: 0.25) { StandardStreams.output(bytes: $0) }
        } else {
            _ = try reader.copy(from: start) { StandardStreams.output(bytes: $0) }
        }
    }
}
