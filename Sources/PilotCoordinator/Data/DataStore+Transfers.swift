import PilotData
import PilotModel
import PilotSystem

/// Data units and the files that move into them.
extension DataStore {
    /// Registers a data unit on the pilot data `target` names and starts
    /// copying its files there; it is Pending until they are all in.
    func submit(_ json: JSONValue, to target: DataTarget) throws(PilotError) -> String {
        let description = try DataUnitDescription(json: json)
        let pilotData = try locked { contents throws(PilotError) -> String in
            switch target {
            case .pilotData(let id):
                let place = try record(id, .pilotData, in: contents).get()
                guard place.state == .running else { throw PilotError(.invalidState, "pilot data \(id) is \(place.state.name) and takes no data units") }
                return id
            case .computeService(let id):
                return try choosePilotData(for: description, of: id, in: contents)
            }
        }
        var unit = DataRecord(id: IdentifierKind.dataUnit.make(), kind: .dataUnit, state: .pending, description: json)
        if case .computeService(let id) = target { unit.serviceID = id }
        unit.filling = [pilotData]
        insert(unit)
        fill(unit.id, into: pilotData, from: description.fileURLs)
        return unit.id
    }

    /// The pilot data of ComputeDataService `service`'s pilot data services
    /// for `description`: one whose affinity labels equal the data unit's
    /// (when it has any), holding the fewest data units.
    private func choosePilotData(for description: DataUnitDescription, of service: String, in contents: Contents) throws(PilotError) -> String {
        let services = contents.order.filter { contents.records[$0]?.computeServices.contains(service) == true }
        guard !services.isEmpty else {
            throw PilotError(.invalidState, "ComputeDataService \(service) has no pilot data service; add_pilot_data_service() first")
        }
        let candidates = contents.order.compactMap { id -> DataRecord? in
            guard let place = contents.records[id], place.kind == .pilotData, place.state == .running,
                  let owner = place.serviceID, services.contains(owner) else { return nil }
            guard let labels = try? PilotDataDescription(json: place.description) else { return nil }
            let datacenter = description.affinityDatacenterLabel.map { $0 == labels.affinityDatacenterLabel } ?? true
            let machine = description.affinityMachineLabel.map { $0 == labels.affinityMachineLabel } ?? true
            return datacenter && machine ? place : nil
        }
        let load = { (id: String) in contents.records.values.filter { $0.replicas.contains(id) || $0.filling.contains(id) }.count }
        guard let chosen = candidates.min(by: { load($0.id) < load($1.id) }) else {
            throw PilotError(.invalidState, "no running pilot data of ComputeDataService \(service) matches the data unit's affinity labels")
        }
        return chosen.id
    }

    /// Copies data unit `unit` into pilot data `pilotData` as another replica, in the background.
    func replicate(_ unit: String, to pilotData: String) throws(PilotError) {
        let source = try locked { contents throws(PilotError) -> String? in
            let record = try record(unit, .dataUnit, in: contents).get()
            let place = try self.record(pilotData, .pilotData, in: contents).get()
            guard place.state == .running else { throw PilotError(.invalidState, "pilot data \(pilotData) is \(place.state.name) and takes no data units") }
            guard record.state == .running, let primary = record.replicas.first else {
                throw PilotError(.invalidState, "data unit \(unit) is \(record.state.name); replicate it once it is Running (wait() for it)")
            }
            if record.replicas.contains(pilotData) || record.filling.contains(pilotData) { return nil }
            return directory(of: record, in: primary, contents)
        }
        guard let source else { return }
        update(unit) { record in
            record.filling.append(pilotData)
            record.state = .pending
        }
        fill(unit, into: pilotData, from: [source + "/"])
    }

    /// Copies `urls` into every replica of data unit `unit`; returns once they are in.
    func add(_ urls: [String], to unit: String) throws(PilotError) {
        for (index, url) in urls.enumerated() {
            _ = try DataLocation(url, allowsSandbox: false, what: "add_files item \(index)")
        }
        let places = try locked { contents throws(PilotError) -> [(String, String)] in
            let record = try record(unit, .dataUnit, in: contents).get()
            guard record.state == .running else {
                throw PilotError(.invalidState, "data unit \(unit) is \(record.state.name); add files once it is Running (wait() for it)")
            }
            let adding = urls.map { String($0.split(separator: "/").last ?? "") }
            if let held = adding.first(where: { record.files.contains($0) }) {
                throw PilotError(.invalidArgument, "data unit \(unit) already holds a file \(quoted(held)); remove_files it first to replace it")
            }
            try DataUnitDescription.checkNames(adding, what: "add_files")
            return record.replicas.compactMap { pilotData in directory(of: record, in: pilotData, contents).map { (pilotData, $0) } }
        }
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        let names = urls.map { String($0.split(separator: "/").last ?? "") }
        var added = 0
        for (pilotData, place) in places {
            let directives = urls.map { StagingDirective(source: $0, target: place + "/", action: .copy) }
            switch stager.run(directives) {
            case .failure(let failure): throw PilotError(.backend, failure.reason)
            case .success(let tally): added = tally.bytes
            }
            let total = (contents.withLock { $0.records[unit]?.bytes } ?? 0) + added
            if let problem = contents.withLock({ sizeProblem(adding: total, to: pilotData, for: unit, in: $0) }) {
                _ = stager.remove(names, in: place)
                throw PilotError(.invalidState, problem)
            }
        }
        update(unit) { record in
            record.files += names
            record.bytes = (record.bytes ?? 0) + added
        }
    }

    /// Removes files `names` from every replica of data unit `unit`.
    func remove(_ names: [String], from unit: String) throws(PilotError) {
        let places = try locked { contents throws(PilotError) -> [String] in
            let record = try record(unit, .dataUnit, in: contents).get()
            if let stranger = names.first(where: { $0.contains("/") || $0 == "." || $0 == ".." || $0.isEmpty }) {
                throw PilotError(.invalidArgument, "remove_files takes file names of the data unit, got \(quoted(stranger))")
            }
            return record.replicas.compactMap { directory(of: record, in: $0, contents) }
        }
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        // Asked of the first replica as it is now (units' outputs included): a name it lacks is a mistake to report.
        if let primary = places.first, case .success(let held) = stager.list(primary),
           let unknown = names.first(where: { !held.contains($0) }) {
            throw PilotError(.notFound, "data unit \(unit) holds no file \(quoted(unknown)); it holds \(held.count) files (list() names them)")
        }
        for place in places {
            if let failure = stager.remove(names, in: place) { throw PilotError(.backend, failure.reason) }
        }
        update(unit) { $0.files.removeAll { names.contains($0) } }
    }

    /// Why `bytes` of data unit `unit` do not fit in pilot data
    /// `pilotData` (its `size` in MB of 2^20 bytes, less what its other data
    /// units hold); nil when they fit or it has no size.
    func sizeProblem(adding bytes: Int, to pilotData: String, for unit: String, in contents: Contents) -> String? {
        guard let place = contents.records[pilotData], let megabytes = (try? PilotDataDescription(json: place.description))?.sizeMB else { return nil }
        let limit = Int(megabytes * 1_048_576)
        let used = contents.records.values.filter { $0.id != unit && $0.replicas.contains(pilotData) }.reduce(0) { $0 + ($1.bytes ?? 0) }
        guard used + bytes > limit else { return nil }
        let mb = { (count: Int) in String(Double(count * 10 / 1_048_576) / 10) }
        return "data unit \(unit) would put \(mb(bytes)) MB in pilot data \(pilotData), whose size is \(mb(limit)) MB with \(mb(used)) MB held by other data units; its copy there was removed"
    }

    /// Starts again what a restart cut short: a data unit's first fill, or a replica's.
    func resume(_ unit: DataRecord) {
        guard let description = try? DataUnitDescription(json: unit.description) else { return }
        let source = contents.withLock { contents in unit.replicas.first.flatMap { directory(of: unit, in: $0, contents) } }
        if unit.filling.isEmpty {
            // An add_files the restart cut short: its caller has gone; the files it had added are in place.
            update(unit.id) { $0.state = .running }
        }
        for pilotData in unit.filling {
            fill(unit.id, into: pilotData, from: source.map { [$0 + "/"] } ?? description.fileURLs, resuming: true)
        }
    }

    /// Copies `sources` into data unit `unit`'s directory in pilot data
    /// `pilotData`, in the background; then the replica counts (or the
    /// data unit is Failed with the reason). `resuming`: a restart cut the
    /// last copy short, and what it left half-written goes first.
    func fill(_ unit: String, into pilotData: String, from sources: [String], resuming: Bool = false) {
        let target = contents.withLock { contents in
            contents.records[unit].flatMap { record in directory(of: record, in: pilotData, contents) }
        }
        guard let target else { return }
        let started = startThread { [self] in
            let stager = Stager(sandbox: "/")
            defer { stager.close() }
            let directives = sources.map { source in
                source.hasSuffix("/")
                    ? StagingDirective(source: String(source.dropLast()) + "/*", target: target + "/", action: .copy)
                    : StagingDirective(source: source, target: target + "/", action: .copy)
            }
            let made = stager.makeDirectory(target)
            if resuming { stager.removePartials(in: target) }
            var bytes = 0
            var outcome: Result<[String], StagingError> = made.map { .failure($0) }
                ?? stager.run(directives).flatMap { tally in
                    bytes = tally.bytes
                    return stager.list(target)
                }
            if case .success = outcome, let problem = contents.withLock({ sizeProblem(adding: bytes, to: pilotData, for: unit, in: $0) }) {
                _ = stager.remove(nil, in: target)
                outcome = .failure(StagingError(reason: problem))
            }
            let canceled = update(unit) { record -> Bool in
                record.filling.removeAll { $0 == pilotData }
                guard record.state != .canceled else { return true }
                switch outcome {
                case .success(let names):
                    record.replicas.append(pilotData)
                    record.files = names
                    record.bytes = bytes
                    if record.filling.isEmpty { record.state = .running }
                case .failure(let failure) where !record.replicas.isEmpty:
                    // A failed extra replica leaves the data unit as it was.
                    record.state = record.filling.isEmpty ? .running : .pending
                    record.reason = "no replica on \(pilotData): \(failure.reason)"
                case .failure(let failure):
                    record.state = .failed
                    record.reason = failure.reason
                }
                return false
            }
            // A canceled data unit's files go; so do those of a first copy that failed (none of them counts).
            let failedFirstCopy = contents.withLock { $0.records[unit].map { $0.state == .failed && !$0.replicas.contains(pilotData) } ?? false }
            if canceled == true || failedFirstCopy { _ = stager.remove(nil, in: target) }
        }
        if !started {
            update(unit) { record in
                record.filling.removeAll { $0 == pilotData }
                record.state = .failed
                record.reason = "cannot start a thread to copy its files"
            }
        }
    }
}
