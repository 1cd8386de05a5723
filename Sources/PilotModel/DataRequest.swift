/// Where a data unit is submitted: one pilot data, or a ComputeDataService
/// whose pilot data services' pilot data are chosen from (affinity first).
package enum DataTarget: Sendable, Equatable, Codable {
    case pilotData(String)
    case computeService(String)
}

/// One call of the Pilot-Data layer, the same in process and across a
/// served session's link (where it travels as JSON).
package enum DataRequest: Sendable, Equatable, Codable {
    /// A new PilotDataService; answers its id.
    case createService
    /// A new pilot data in service `service`; answers its id.
    case createPilotData(service: String, description: JSONValue)
    /// A new data unit; answers its id (its files arrive in the background).
    case submit(description: JSONValue, target: DataTarget)
    /// Copies data unit `dataUnit` into pilot data `pilotData` as another replica (in the background).
    case replicate(dataUnit: String, pilotData: String)
    /// Copies files into every replica of a data unit; answers when they are in.
    case addFiles(dataUnit: String, urls: [String])
    /// Removes files from every replica of a data unit.
    case removeFiles(dataUnit: String, names: [String])
    /// A snapshot of a pilot data service, pilot data or data unit.
    case details(String)
    /// A data unit's files as they are now in its first replica.
    case list(String)
    /// Waits until the object has settled (not Pending); answers its state.
    case wait(String, timeout: Double?)
    /// Cancels the object (a data unit's files are removed).
    case cancel(String)
    /// Adds (or removes) a PilotDataService to a ComputeDataService.
    case attach(pilotDataService: String, computeService: String, attached: Bool)
    /// The PilotDataServices added to a ComputeDataService, in order.
    case pilotDataServices(ofComputeService: String)
    /// The data units submitted to a ComputeDataService, in order.
    case dataUnits(ofComputeService: String)
}

/// The answer to a `DataRequest`.
package enum DataReply: Sendable, Equatable, Codable {
    case done
    case identifier(String)
    case names([String])
    case state(State)
    case details(DataDetails)
}
