import PilotModel

/// One Pilot-Data object as the coordinator keeps and journals it (whole,
/// as JSON: there are few, and they change rarely).
struct DataRecord: Sendable, Codable {
    enum Kind: String, Sendable, Codable {
        case service, pilotData, dataUnit
    }

    let id: String
    let kind: Kind
    var state: State
    var reason: String?
    /// A pilot data's PilotDataService; a data unit's ComputeDataService.
    var serviceID: String?
    /// The description as given (null for services).
    let description: JSONValue
    /// A pilot data's storage URL, without a trailing `/`.
    var location: String?
    /// A data unit's complete replicas (pilot data ids), first is primary.
    var replicas: [String] = []
    /// Pilot data a data unit's files are being copied into.
    var filling: [String] = []
    /// A data unit's file names.
    var files: [String] = []
    /// A data unit's bytes, as its last copy counted them.
    var bytes: Int?
    /// A PilotDataService's ComputeDataServices.
    var computeServices: [String] = []

    init(id: String, kind: Kind, state: State, description: JSONValue) {
        self.id = id
        self.kind = kind
        self.state = state
        self.description = description
    }

    /// The id's kind in words, for errors.
    var noun: String {
        switch kind {
        case .service: "pilot data service"
        case .pilotData: "pilot data"
        case .dataUnit: "data unit"
        }
    }
}
