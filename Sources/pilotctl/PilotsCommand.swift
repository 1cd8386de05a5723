import ArgumentParser
import Pilot
import PilotModel
import PilotShell

/// `pilotctl pilots`: the session's pilots, one per line.
struct PilotsCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilots",
        abstract: "List a served session's pilots: state, slots in use, open units.")

    @OptionGroup var sessionArguments: SessionArguments

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run(in session: Session) throws {
        let pilots = try session.overview().pilots
        print(json ? JSONText.render(pilots) : Listings.pilots(pilots))
    }
}
