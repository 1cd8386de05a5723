/// Which units a session overview lists one by one (all are counted).
public enum UnitListing: Sendable, Equatable {
    /// None: counts only.
    case none
    /// Every unit in scope.
    case all
    /// The units in scope whose state is one of these.
    case states(Set<State>)

    /// Whether a unit in `state` is listed.
    public func includes(_ state: State) -> Bool {
        switch self {
        case .none: false
        case .all: true
        case .states(let states): states.contains(state)
        }
    }
}

/// A snapshot of a whole session, or of one ComputeDataService's or
/// pilot's units: what `pilotctl status` and progress lines show.
public struct SessionOverview: Sendable, Equatable, Encodable {
    /// The ids of its PilotComputeServices, sorted.
    public var pilotServices: [String]
    /// The ids of its ComputeDataServices, sorted.
    public var computeServices: [String]
    /// Every pilot, in creation order.
    public var pilots: [PilotDetails]
    /// The number of units in scope in each state (states without units are left out).
    public var unitCounts: [State: Int]
    /// The units in scope the listing asked for, in submission order.
    public var units: [UnitDetails]

    /// Creates an overview from its parts.
    public init(pilotServices: [String], computeServices: [String], pilots: [PilotDetails],
                unitCounts: [State: Int], units: [UnitDetails]) {
        self.pilotServices = pilotServices
        self.computeServices = computeServices
        self.pilots = pilots
        self.unitCounts = unitCounts
        self.units = units
    }

    /// The units in scope, listed or not.
    public var unitTotal: Int { unitCounts.values.reduce(0, +) }

    /// The number of units in scope in `state`.
    public func count(_ state: State) -> Int { unitCounts[state] ?? 0 }

    /// Counts keyed by state name, as JSON shows them ("Done": 3).
    public static func countsByName(_ counts: [State: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.name, $0.value) })
    }

    enum CodingKeys: String, CodingKey {
        case pilots, units
        case pilotServices = "pilot_services", computeServices = "compute_services", unitCounts = "unit_counts"
    }

    /// Encodes the counts keyed by state name ("Done": 3), the rest as declared.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pilotServices, forKey: .pilotServices)
        try container.encode(computeServices, forKey: .computeServices)
        try container.encode(pilots, forKey: .pilots)
        try container.encode(Self.countsByName(unitCounts), forKey: .unitCounts)
        try container.encode(units, forKey: .units)
    }
}
