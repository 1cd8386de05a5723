import ArgumentParser
import Pilot
import PilotModel
import PilotShell

/// `pilotctl wait`: until units are final; exit status 1 if any failed.
struct WaitCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until the session's units (or those named) are final.",
        discussion: """
            On a terminal a progress line is shown on stderr (PILOT_PROGRESS=0 turns it off). Exit status: \
            0 when no unit waited for failed (Canceled ones are not failures), 1 when one did or the wait \
            timed out.
            """)

    @OptionGroup var sessionArguments: SessionArguments

    @Argument(help: ArgumentHelp("Units to wait for (default: every unit of the session).", valueName: "unit"))
    var units: [String] = []

    @Option(help: "Give up after this many seconds.")
    var timeout: Double?

    func run(in session: Session) throws {
        let failed: Int
        if units.isEmpty {
            try session.wait(timeout: timeout)
            failed = try session.overview().count(.failed)
        } else {
            let chosen = try units.map { id throws(PilotError) in try session.unit(id: id) }
            let limit = try WaitLimit(seconds: timeout)
            failed = try chosen.filter { unit throws(PilotError) in try unit.wait(timeout: limit.remaining) == .failed }.count
        }
        if failed > 0 {
            throw CommandFailure(PilotError(.backend, "\(failed) unit\(failed == 1 ? "" : "s") failed; `pilotctl list --state failed` shows why"))
        }
    }
}
