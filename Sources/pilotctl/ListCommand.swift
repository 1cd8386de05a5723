import ArgumentParser
import Pilot
import PilotModel
import PilotShell

/// `pilotctl list`: units one per line, filtered by state and owner.
struct ListCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a served session's units, one per line.")

    @OptionGroup var sessionArguments: SessionArguments

    @Option(help: ArgumentHelp("Only units in these states (names separated by commas, e.g. failed,canceled).", valueName: "states"))
    var state: String?

    @Option(help: ArgumentHelp("Only the units of this pilot or compute data service.", valueName: "id"))
    var of: String?

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run(in session: Session) throws {
        let listing = try state.map { text throws(PilotError) in UnitListing.states(try StateNames.parse(text)) } ?? .all
        let units = try session.overview(scope: of, listing: listing).units
        print(json ? JSONText.render(units) : Listings.units(units))
    }
}
