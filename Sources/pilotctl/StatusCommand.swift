import ArgumentParser
import Pilot
import PilotModel
import PilotShell

/// `pilotctl status`: the session at a glance, or chosen objects in full.
struct StatusCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a served session's pilots and unit counts, or the units, pilots and services named.")

    @OptionGroup var sessionArguments: SessionArguments

    @Argument(help: ArgumentHelp("Units (cu-...), pilots (bj-...) or compute data services (cds-...).", valueName: "id"))
    var ids: [String] = []

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run(in session: Session) throws {
        guard !ids.isEmpty else {
            let overview = try session.overview()
            if json {
                print(JSONText.render(SessionStatus(session: session.id, overview: overview)))
            } else {
                print("session \(session.id): \(overview.pilots.count) pilot\(overview.pilots.count == 1 ? "" : "s"), \(Listings.counts(overview.unitCounts))")
                if !overview.pilots.isEmpty { print(Listings.pilots(overview.pilots)) }
            }
            return
        }
        let objects = try ids.map { id throws(PilotError) in try ObjectStatus(id, in: session) }
        if json {
            print(JSONText.render(objects))
            return
        }
        let units = objects.compactMap { if case .unit(let details) = $0 { details } else { nil } }
        let pilots = objects.compactMap { if case .pilot(let details) = $0 { details } else { nil } }
        if !units.isEmpty { print(Listings.units(units)) }
        if !pilots.isEmpty { print(Listings.pilots(pilots)) }
        for case .service(let id, let counts) in objects { print("\(id): \(Listings.counts(counts))") }
    }
}

/// `status --json` of a whole session: its id, then the overview's fields.
struct SessionStatus: Encodable {
    let session: String
    let overview: SessionOverview

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(session, forKey: .session)
        try overview.encode(to: encoder)
    }

    private enum Key: String, CodingKey { case session }
}

/// One object `status` was asked about.
enum ObjectStatus: Encodable {
    case unit(UnitDetails)
    case pilot(PilotDetails)
    case service(String, [State: Int])

    private enum ServiceKey: String, CodingKey {
        case id
        case unitCounts = "unit_counts"
    }

    /// The object with id `id`, by its prefix; an unknown kind or id is an error.
    init(_ id: String, in session: Session) throws(PilotError) {
        switch IdentifierKind(of: id) {
        case .unit?: self = .unit(try session.unit(id: id).details())
        case .pilot?: self = .pilot(try session.pilot(id: id).details())
        case .computeDataService?: self = .service(id, try session.overview(scope: id).unitCounts)
        default:
            throw PilotError(.invalidArgument, "\(id) is not a unit (cu-...), pilot (bj-...) or compute data service (cds-...) id")
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .unit(let details): try details.encode(to: encoder)
        case .pilot(let details): try details.encode(to: encoder)
        case .service(let id, let counts):
            var container = encoder.container(keyedBy: ServiceKey.self)
            try container.encode(id, forKey: .id)
            try container.encode(SessionOverview.countsByName(counts), forKey: .unitCounts)
        }
    }
}
