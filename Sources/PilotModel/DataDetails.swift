/// A snapshot of a Pilot-Data object (a pilot data service, a pilot data
/// or a data unit), as `get_details()` reports it.
public struct DataDetails: Sendable, Equatable, Codable {
    /// `pds-<uuid>`, `pd-<uuid>` or `du-<uuid>`.
    public var id: String
    /// Its state. Pilot data services and pilot data are Running until
    /// cancelled (a pilot data whose directory cannot be made is Failed);
    /// a data unit is Pending while files move into it and Running when
    /// they are all in place.
    public var state: State
    /// Why it failed or was cancelled.
    public var reason: String?
    /// A pilot data's storage URL; a data unit's directory in its first replica.
    public var url: String?
    /// The service it belongs to: a pilot data's PilotDataService, a data
    /// unit's ComputeDataService (nil when submitted straight to a pilot data).
    public var serviceID: String?
    /// A service's pilot data, or the pilot data holding a data unit's replicas.
    public var pilotData: [String]
    /// The data units with a replica in a pilot data.
    public var dataUnits: [String]
    /// A data unit's files, by name.
    public var files: [String]
    /// The description as given (empty for services).
    public var description: JSONValue

    /// A snapshot with the given identity; the rest starts empty.
    public init(id: String, state: State, description: JSONValue) {
        self.id = id
        self.state = state
        self.description = description
        pilotData = []
        dataUnits = []
        files = []
    }

    enum CodingKeys: String, CodingKey {
        case id, state, reason, url, files, description
        case serviceID = "service_id", pilotData = "pilot_data", dataUnits = "data_units"
    }
}
