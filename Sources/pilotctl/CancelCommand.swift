import ArgumentParser
import Pilot
import PilotModel
import PilotShell

/// `pilotctl cancel`: units, pilots or services, by id or by state.
struct CancelCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel units, pilots or compute data services by id, or units by state.",
        discussion: "Every id is checked before anything is canceled; an unknown one changes nothing and exits 2.")

    @OptionGroup var sessionArguments: SessionArguments

    @Argument(help: ArgumentHelp("Units (cu-...), pilots (bj-...) or compute data services (cds-...).", valueName: "id"))
    var ids: [String] = []

    @Option(help: ArgumentHelp("Also cancel every unit in these states (e.g. pending,running).", valueName: "states"))
    var state: String?

    func validate() throws {
        guard !ids.isEmpty || state != nil else { throw ValidationError("name what to cancel: ids, or --state") }
    }

    func run(in session: Session) throws {
        let objects = try ids.map { id throws(PilotError) in try ObjectStatus(id, in: session) }
        let byState = try state.map { text throws(PilotError) in
            try session.overview(listing: .states(try StateNames.parse(text))).units.map(\.id)
        } ?? []
        var units = byState
        for object in objects {
            switch object {
            case .unit(let details): units.append(details.id)
            case .pilot(let details): try session.pilot(id: details.id).cancel()
            case .service(let id, _): try session.computeDataService(id: id).cancel()
            }
        }
        // One call for every unit: 100,000 queued units took 160 s one call at a time.
        try session.cancelUnits(units)
        print("canceled \(objects.count + byState.count) object\(objects.count + byState.count == 1 ? "" : "s")")
    }
}
