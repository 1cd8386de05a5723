import PilotData
import PilotModel
import PilotSystem

/// The Pilot-Data layer of a coordinator: pilot data services, pilot data
/// (storage places) and data units (named sets of files with replicas on
/// pilot data). Files move in the background (`DataStore+Transfers`), never
/// under the lock; every change is journaled, so a served session's data
/// survives a restart. Thread-safe.
final class DataStore: Sendable {
    struct Contents {
        var records: [String: DataRecord] = [:]
        /// Ids in creation order.
        var order: [String] = []
    }

    let contents = Monitor(Contents())
    private let journal: Journal?
    /// Whether a ComputeDataService exists (the registry holds those).
    private let computeServiceExists: @Sendable (String) -> Bool

    init(journal: Journal?, computeServiceExists: @escaping @Sendable (String) -> Bool) {
        self.journal = journal
        self.computeServiceExists = computeServiceExists
    }

    /// Carries out one call.
    func perform(_ request: DataRequest) throws(PilotError) -> DataReply {
        switch request {
        case .createService:
            let record = DataRecord(id: IdentifierKind.pilotDataService.make(), kind: .service, state: .running, description: .null)
            insert(record)
            return .identifier(record.id)
        case .createPilotData(let service, let description):
            return .identifier(try createPilotData(in: service, json: description))
        case .submit(let description, let target):
            return .identifier(try submit(description, to: target))
        case .replicate(let dataUnit, let pilotData):
            try replicate(dataUnit, to: pilotData)
            return .done
        case .addFiles(let dataUnit, let urls):
            try add(urls, to: dataUnit)
            return .done
        case .removeFiles(let dataUnit, let names):
            try remove(names, from: dataUnit)
            return .done
        case .details(let id):
            return .details(try details(of: id))
        case .list(let id):
            return .names(try list(id))
        case .wait(let id, let timeout):
            return .state(try wait(id, timeout: timeout))
        case .cancel(let id):
            try cancel(id)
            return .done
        case .attach(let pilotDataService, let computeService, let attached):
            try attach(pilotDataService, to: computeService, attached)
            return .done
        case .pilotDataServices(let computeService):
            return .names(try ids(of: computeService) { $0.kind == .service && $0.computeServices.contains(computeService) })
        case .dataUnits(let computeService):
            return .names(try ids(of: computeService) { $0.kind == .dataUnit && $0.serviceID == computeService })
        }
    }

    // MARK: Records

    /// Runs `body` under the lock, passing its error on.
    func locked<Value>(_ body: (Contents) throws(PilotError) -> Value) throws(PilotError) -> Value {
        try contents.withLock { contents -> Result<Value, PilotError> in
            do throws(PilotError) {
                return .success(try body(contents))
            } catch {
                return .failure(error)
            }
        }.get()
    }

    /// The record `id` of `kind`, or the error naming what is missing.
    func record(_ id: String, _ kind: DataRecord.Kind, in contents: Contents) -> Result<DataRecord, PilotError> {
        guard let record = contents.records[id], record.kind == kind else {
            let noun = DataRecord(id: id, kind: kind, state: .unknown, description: .null).noun
            return .failure(PilotError(.notFound, "no \(noun) \(quoted(id)) in this session"))
        }
        return .success(record)
    }

    /// Adds a new record (journaled).
    func insert(_ record: DataRecord) {
        contents.withLock { contents in
            contents.records[record.id] = record
            contents.order.append(record.id)
            journal(record)
        }
    }

    /// Changes record `id` under the lock (journaled) and wakes waiters.
    @discardableResult
    func update<Result>(_ id: String, _ change: (inout DataRecord) -> Result) -> Result? {
        let result = contents.withLock { contents -> Result? in
            guard var record = contents.records[id] else { return nil }
            let result = change(&record)
            contents.records[id] = record
            journal(record)
            return result
        }
        contents.broadcast()
        return result
    }

    private func journal(_ record: DataRecord) {
        var batch = JournalBatch()
        batch.dataObjects = [record]
        _ = journal?.append(batch)
    }

    /// Puts journaled records back; transfers a restart cut short start again.
    func restore(_ records: [DataRecord]) {
        contents.withLock { contents in
            for record in records {
                if contents.records[record.id] == nil { contents.order.append(record.id) }
                contents.records[record.id] = record
            }
        }
        for record in records where record.kind == .dataUnit && record.state == .pending {
            resume(record)
        }
    }

    // MARK: Pilot data

    private func createPilotData(in service: String, json: JSONValue) throws(PilotError) -> String {
        let description = try PilotDataDescription(json: json)
        let owner = try locked { contents throws(PilotError) in try self.record(service, .service, in: contents).get() }
        guard owner.state == .running else { throw PilotError(.invalidState, "pilot data service \(service) is \(owner.state.name) and takes no pilot data") }
        var location = description.serviceURL
        while location.count > 1 && location.hasSuffix("/") { location.removeLast() }
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        if let failure = stager.makeDirectory(location) {
            throw PilotError(.backend, "pilot data \(quoted(description.serviceURL)) cannot be used: \(failure.reason)")
        }
        var record = DataRecord(id: IdentifierKind.pilotData.make(), kind: .pilotData, state: .running, description: json)
        record.serviceID = service
        record.location = location
        insert(record)
        return record.id
    }

    private func attach(_ service: String, to computeService: String, _ attached: Bool) throws(PilotError) {
        _ = try locked { contents throws(PilotError) in try self.record(service, .service, in: contents).get() }
        guard computeServiceExists(computeService) else { throw PilotError(.notFound, "no object \(quoted(computeService)) in this session") }
        update(service) { record in
            record.computeServices.removeAll { $0 == computeService }
            if attached { record.computeServices.append(computeService) }
        }
    }

    // MARK: Queries

    /// The ids of records for ComputeDataService `service` that `belongs` picks, in creation order.
    private func ids(of service: String, _ belongs: (DataRecord) -> Bool) throws(PilotError) -> [String] {
        guard computeServiceExists(service) else { throw PilotError(.notFound, "no object \(quoted(service)) in this session") }
        return contents.withLock { contents in contents.order.filter { contents.records[$0].map(belongs) == true } }
    }

    private func details(of id: String) throws(PilotError) -> DataDetails {
        try locked { contents throws(PilotError) -> DataDetails in
            guard let record = contents.records[id] else { throw PilotError(.notFound, "no object \(quoted(id)) in this session") }
            var details = DataDetails(id: id, state: record.state, description: record.description)
            details.reason = record.reason
            details.serviceID = record.serviceID
            switch record.kind {
            case .service:
                details.pilotData = contents.order.filter { contents.records[$0]?.serviceID == id && contents.records[$0]?.kind == .pilotData }
            case .pilotData:
                details.url = record.location
                details.dataUnits = contents.order.filter { other in
                    contents.records[other].map { $0.replicas.contains(id) || $0.filling.contains(id) } == true
                }
            case .dataUnit:
                details.url = record.replicas.first.flatMap { directory(of: record, in: $0, contents) }
                details.pilotData = record.replicas
                details.files = record.files
            }
            return details
        }
    }

    /// Where data unit `unit` lives in pilot data `pilotData`.
    func directory(of unit: DataRecord, in pilotData: String, _ contents: Contents) -> String? {
        contents.records[pilotData]?.location.map { $0 + "/" + unit.id }
    }

    private func list(_ id: String) throws(PilotError) -> [String] {
        let place = try locked { contents throws(PilotError) -> String in
            let unit = try record(id, .dataUnit, in: contents).get()
            guard let primary = unit.replicas.first, let place = directory(of: unit, in: primary, contents) else {
                throw PilotError(.invalidState, "data unit \(id) is \(unit.state.name) and has no complete replica yet; wait() for it")
            }
            return place
        }
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        switch stager.list(place) {
        case .success(let names):
            // Units' output_data may have moved files in: the listing is the truth.
            update(id) { $0.files = names }
            return names
        case .failure(let failure): throw PilotError(.backend, failure.reason)
        }
    }

    /// Waits until `id` has settled (it is not Pending); returns its state.
    func wait(_ id: String, timeout: Double?) throws(PilotError) -> State {
        let limit = try WaitLimit(seconds: timeout)
        let outcome = contents.wait(until: limit.deadline) { contents -> Result<State, PilotError>? in
            guard let record = contents.records[id] else { return .failure(PilotError(.notFound, "no object \(quoted(id)) in this session")) }
            return record.state == .pending || record.state == .new ? nil : .success(record.state)
        }
        guard let outcome else { throw PilotError(.timeout, "\(id) did not settle within \(limit.text)") }
        return try outcome.get()
    }

    // MARK: Cancellation

    private func cancel(_ id: String) throws(PilotError) {
        let (record, places) = try locked { contents throws(PilotError) -> (DataRecord, [String]) in
            guard let record = contents.records[id] else { throw PilotError(.notFound, "no object \(quoted(id)) in this session") }
            let places = (record.replicas + record.filling).compactMap { directory(of: record, in: $0, contents) }
            return (record, record.kind == .dataUnit ? places : [])
        }
        guard !record.state.isFinal else { return }
        update(id) { record in
            record.state = .canceled
            record.reason = "canceled by user"
        }
        if record.kind == .service {
            for pilotData in contents.withLock({ contents in contents.order.filter { contents.records[$0]?.serviceID == id } }) {
                try cancel(pilotData)
            }
        }
        // A canceled data unit's files go; a transfer still running finds it canceled and removes what it made.
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        for place in places { _ = stager.remove(nil, in: place) }
    }
}
