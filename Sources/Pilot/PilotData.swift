import PilotData
import PilotModel

/// A PilotDataService: a group of pilot data (BigJob's Pilot-Data API).
public struct PilotDataService: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `pds-<uuid>`.
    public let id: String

    /// Registers a storage place (`service_url` `file:///path` or
    /// `ssh://[user@]host[:port]/path`, optional `size` in MB and affinity
    /// labels); its directory is made now, so a place that cannot be used
    /// is an error here.
    public func createPilotData(_ description: JSONValue) throws(PilotError) -> PilotData {
        PilotData(session: session, id: try session.identifier(.createPilotData(service: id, description: description)))
    }

    /// A snapshot; `pilotData` lists its pilot data.
    public func details() throws(PilotError) -> DataDetails {
        try session.dataDetails(id)
    }

    /// Cancels it and its pilot data.
    public func cancel() throws(PilotError) {
        try session.dataDone(.cancel(id))
    }
}

/// A pilot data: a directory on this host or another that holds data units.
public struct PilotData: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `pd-<uuid>`.
    public let id: String

    /// Registers a data unit here and starts copying its `file_urls` in
    /// (it is Pending until they are all in; `wait()` on it).
    public func submit(_ description: JSONValue) throws(PilotError) -> DataUnit {
        DataUnit(session: session, id: try session.identifier(.submit(description: description, target: .pilotData(id))))
    }

    /// Starts copying `unit` here as another replica (it is Pending until done).
    public func replicate(_ unit: DataUnit) throws(PilotError) {
        try session.dataDone(.replicate(dataUnit: unit.id, pilotData: id))
    }

    /// A snapshot: `url` is its place, `dataUnits` those with a replica here.
    public func details() throws(PilotError) -> DataDetails {
        try session.dataDetails(id)
    }

    /// Cancels it (its data units' files stay where they are).
    public func cancel() throws(PilotError) {
        try session.dataDone(.cancel(id))
    }
}

/// A data unit: a named set of files, with replicas on pilot data.
public struct DataUnit: Sendable {
    /// The session it belongs to.
    public let session: Session
    /// `du-<uuid>`.
    public let id: String

    /// A snapshot: state, files, the pilot data holding replicas, and the
    /// `url` of its first replica's directory.
    public func details() throws(PilotError) -> DataDetails {
        try session.dataDetails(id)
    }

    /// Waits until its files are in place (Running) or it failed; returns the state.
    @discardableResult
    public func wait(timeout: Double? = nil) throws(PilotError) -> State {
        guard case .state(let state) = try session.coordination.data(.wait(id, timeout: timeout)) else { throw Session.unexpectedReply }
        return state
    }

    /// Copies files (paths or `file://`, `ssh://` URLs) into every replica; returns once they are in.
    public func add(files urls: [String]) throws(PilotError) {
        try session.dataDone(.addFiles(dataUnit: id, urls: urls))
    }

    /// Removes files, by name, from every replica.
    public func remove(files names: [String]) throws(PilotError) {
        try session.dataDone(.removeFiles(dataUnit: id, names: names))
    }

    /// The names of its files as they are now in its first replica.
    public func list() throws(PilotError) -> [String] {
        guard case .names(let names) = try session.coordination.data(.list(id)) else { throw Session.unexpectedReply }
        return names
    }

    /// Copies its files from its first replica into local directory
    /// `directory` (made if missing), each written whole or not at all.
    /// Runs in this process: the directory is on this host.
    public func export(to directory: String) throws(PilotError) {
        guard directory.hasPrefix("/") else {
            throw PilotError(.invalidArgument, "export needs an absolute directory, got \(quoted(directory))")
        }
        let details = try details()
        guard details.state == .running, let place = details.url else {
            throw PilotError(.invalidState, "data unit \(id) is \(details.state.name); export it once it is Running (wait() for it)")
        }
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        let directives = try list().isEmpty ? [] : [StagingDirective(source: place + "/*", target: directory + "/", action: .copy)]
        if let failure = stager.makeDirectory(directory) { throw PilotError(.backend, failure.reason) }
        if case .failure(let failure) = stager.run(directives) { throw PilotError(.backend, failure.reason) }
    }

    /// Cancels it; its files are removed from every replica.
    public func cancel() throws(PilotError) {
        try session.dataDone(.cancel(id))
    }
}

extension Session {
    static let unexpectedReply = PilotError(.internal, "the coordinator gave an answer of the wrong kind to a Pilot-Data call")

    func identifier(_ request: DataRequest) throws(PilotError) -> String {
        guard case .identifier(let id) = try coordination.data(request) else { throw Self.unexpectedReply }
        return id
    }

    func dataDetails(_ id: String) throws(PilotError) -> DataDetails {
        guard case .details(let details) = try coordination.data(.details(id)) else { throw Self.unexpectedReply }
        return details
    }

    func dataDone(_ request: DataRequest) throws(PilotError) {
        _ = try coordination.data(request)
    }

    /// Creates a PilotDataService.
    public func createPilotDataService() throws(PilotError) -> PilotDataService {
        PilotDataService(session: self, id: try identifier(.createService))
    }

    /// The PilotDataService with id `id` (`pds-<uuid>`) in this session.
    public func pilotDataService(id: String) throws(PilotError) -> PilotDataService {
        PilotDataService(session: self, id: try existing(id, .pilotDataService))
    }

    /// The pilot data with id `id` (`pd-<uuid>`) in this session.
    public func pilotData(id: String) throws(PilotError) -> PilotData {
        PilotData(session: self, id: try existing(id, .pilotData))
    }

    /// The data unit with id `id` (`du-<uuid>`, or a URL ending in it) in this session.
    public func dataUnit(id: String) throws(PilotError) -> DataUnit {
        DataUnit(session: self, id: try existing(DataOutput.dataUnitID(from: id), .dataUnit))
    }

    private func existing(_ id: String, _ kind: IdentifierKind) throws(PilotError) -> String {
        guard id.hasPrefix(kind.rawValue + "-") else {
            throw PilotError(.invalidArgument, "\(quoted(id)) is not the id of a \(kind.rawValue)-<uuid> object")
        }
        return try dataDetails(id).id
    }
}

extension ComputeDataService {
    /// Lets units of this service use the pilot data of `service`; data
    /// units submitted here are placed on them.
    public func add(_ service: PilotDataService) throws(PilotError) {
        try session.dataDone(.attach(pilotDataService: service.id, computeService: id, attached: true))
    }

    /// Detaches `service`.
    public func remove(_ service: PilotDataService) throws(PilotError) {
        try session.dataDone(.attach(pilotDataService: service.id, computeService: id, attached: false))
    }

    /// The PilotDataServices added here, in order.
    public func pilotDataServices() throws(PilotError) -> [PilotDataService] {
        guard case .names(let ids) = try session.coordination.data(.pilotDataServices(ofComputeService: id)) else { throw Session.unexpectedReply }
        return ids.map { PilotDataService(session: session, id: $0) }
    }

    /// The data units submitted here, in order.
    public func dataUnits() throws(PilotError) -> [DataUnit] {
        guard case .names(let ids) = try session.coordination.data(.dataUnits(ofComputeService: id)) else { throw Session.unexpectedReply }
        return ids.map { DataUnit(session: session, id: $0) }
    }

    /// Registers a data unit on one of the pilot data of the services added
    /// here (one whose affinity labels match, else the least used).
    public func submit(data description: JSONValue) throws(PilotError) -> DataUnit {
        DataUnit(session: session, id: try session.identifier(.submit(description: description, target: .computeService(id))))
    }
}
