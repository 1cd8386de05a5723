import PilotModel

/// What the journal keeps of a pilot: enough to take its agent back after a
/// restart (its token) and to answer for it once it has ended.
struct PilotRow: Sendable {
    var id: String
    var serviceID: String
    var description: JSONValue
    var token: String
    var state: State
    var reason: String?
    var nativeID: String?
    var host: String?
    var created: Double
    var started: Double?
    var finished: Double?
}

/// What the journal keeps of a unit. `description` is set the first time a
/// unit is written and nil on later updates (it never changes).
struct UnitRow: Sendable {
    var id: String
    var serviceID: String?
    var assignedPilotID: String?
    var pilotID: String?
    var description: JSONValue?
    var state: State
    var reason: String?
    var exitCode: Int32?
    var signal: Int32?
    var pid: Int32?
    var host: String?
    var workingDirectory: String?
    var submitted: Double
    var bound: Double?
    var started: Double?
    var finished: Double?
    /// Seconds its input and output staging took, when it had any.
    var stagedIn: Double? = nil
    var stagedOut: Double? = nil
}

/// A ComputeDataService in the journal.
struct ComputeServiceRow: Sendable {
    var id: String
    var binding: Binding
    var canceled: Bool
}

/// One batch of changes, in the order the registry made them; the journal
/// writes each batch in one transaction.
struct JournalBatch: Sendable {
    var pilotServices: [String] = []
    var computeServices: [ComputeServiceRow] = []
    /// PCS → ComputeDataService links; `linked` false removes one.
    var links: [(pilotService: String, computeService: String, linked: Bool)] = []
    var pilots: [PilotRow] = []
    var units: [UnitRow] = []
    /// Pilot-Data objects, each with its latest values.
    var dataObjects: [DataRecord] = []

    var isEmpty: Bool {
        pilotServices.isEmpty && computeServices.isEmpty && links.isEmpty && pilots.isEmpty && units.isEmpty && dataObjects.isEmpty
    }

    /// Appends `later`, keeping order.
    mutating func append(_ later: JournalBatch) {
        pilotServices += later.pilotServices
        computeServices += later.computeServices
        links += later.links
        pilots += later.pilots
        units += later.units
        dataObjects += later.dataObjects
    }
}

/// Everything a journal holds, read back for a restart.
struct JournalContents: Sendable {
    var sessionID: String
    var pilotServices: [String] = []
    var computeServices: [ComputeServiceRow] = []
    var links: [(pilotService: String, computeService: String)] = []
    var pilots: [PilotRow] = []
    /// In submission order.
    var units: [UnitRow] = []
    /// In creation order.
    var dataObjects: [DataRecord] = []
}
