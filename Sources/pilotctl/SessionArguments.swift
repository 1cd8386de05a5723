import ArgumentParser
import Pilot
import PilotShell

/// The served session a shell command works on.
struct SessionArguments: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "The served session: the URL `pilotctl serve` printed, its session directory, or its id (default: $PILOT_COORDINATION_URL).",
        valueName: "session"))
    var session: String?

    /// Connects to the session.
    func open() throws(PilotError) -> Session {
        var options = SessionOptions()
        options.coordinationURL = try CoordinationURL(try SessionLocator.url(for: session))
        return try Session(options: options)
    }
}

/// A command that works on a served session: `run(in:)` gets it open, and
/// its errors become a message on stderr and exit status 2 (bad input: a
/// session that cannot be opened, an unknown object, an invalid
/// description) or 1 (anything else).
protocol SessionCommand: ParsableCommand {
    /// Which session.
    var sessionArguments: SessionArguments { get }
    /// The command's work.
    func run(in session: Session) throws
}

extension SessionCommand {
    func run() throws {
        let session: Session
        do {
            session = try sessionArguments.open()
        } catch {
            // Whatever the reason, the session named is not one this user can reach.
            throw CommandFailure(PilotError(.notFound, error.message))
        }
        defer { session.close() }
        do {
            try run(in: session)
        } catch let error as PilotError {
            throw CommandFailure(error)
        }
    }
}
