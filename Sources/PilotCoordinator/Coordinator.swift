import Glibc
import NIOPosix
import PilotLink
import PilotModel
import PilotResources
import PilotSystem

/// The embedded coordinator: holds a session's pilots, units and services,
/// binds units to pilots, talks to agents, and lets callers wait and
/// subscribe. Every method is thread-safe.
package final class Coordinator: Coordination {
    /// The session's id (`ps-<uuid>`).
    package let sessionID: String
    /// The session directory (0700): the agents' socket lives here.
    package let sessionDirectory: String
    /// Nil: an embedded coordinator is reached only from its own process
    /// (`CoordinationServer` serves one to others).
    package var coordinationURL: String? { nil }
    /// Always true: an embedded coordinator lives in this process.
    package var isConnected: Bool { true }
    /// The secret clients and agents prove (`SessionSecret`).
    package let sessionSecret: String
    let state: CoordinatorState
    /// Pilot data services, pilot data and data units.
    let data: DataStore
    private let listeners: Listeners
    /// The thread agent links and alarms run on.
    private let loop: MultiThreadedEventLoopGroup
    let options: SessionOptions
    /// This coordinator's hold on the session directory.
    private let lock: SessionLock
    /// Seconds a cancelled agent gets to stop its units before it is killed.
    static let cancelGrace = 5.0

    /// Opens a session: creates its directory and starts listening for agents.
    /// With `options.journal`, a journal found in the session directory is
    /// replayed first: the session continues where the last coordinator on
    /// it stopped (killed or not), and its agents link again.
    package init(options: SessionOptions = SessionOptions()) throws(PilotError) {
        self.options = options
        var sessionID = IdentifierKind.session.make()
        let directory = try SessionDirectory.claim(options.sessionDirectory, sessionID: sessionID, entries: Self.sessionEntries)
        sessionDirectory = directory
        lock = try SessionLock(directory)
        var journal: Journal?
        var restored: JournalContents?
        if options.journal {
            let path = directory + "/" + Journal.fileName
            let existed = FileSystem.exists(path)
            let opened = try Journal(path: path, sessionID: sessionID)
            if existed {
                do {
                    let contents = try opened.load()
                    sessionID = contents.sessionID
                    restored = contents
                } catch {
                    opened.close()
                    throw error
                }
            }
            journal = opened
        }
        self.sessionID = sessionID
        let secret: String
        let listen: NetworkAddress
        do {
            // A restarted session keeps its secret: its agents and clients prove it.
            secret = (options.journal ? SessionSecret.read(at: directory + "/" + CoordinationURL.secretName) : nil) ?? Secret.make()
            if options.journal { try SessionSecret.store(secret, at: directory + "/" + CoordinationURL.secretName) }
            listen = Self.rememberedPort(try NetworkAddress(options.listen ?? "0.0.0.0:0", what: "session option 'listen'"),
                                         in: options.journal ? directory : nil)
        } catch {
            journal?.close()
            throw error
        }
        sessionSecret = secret
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.loop = loop
        let state = CoordinatorState(journal: journal, alarms: EventLoopAlarmClock(loop: loop.next()))
        self.state = state
        data = DataStore(journal: journal) { [state] id in state.read { $0.computeServices[id] != nil } }
        do {
            listeners = try Listeners(
                agentSocket: directory + "/" + Self.agentSocketName, listen: listen,
                bound: { port in if options.journal { _ = FileSystem.write("\(port)\n", to: directory + "/" + Self.portFileName, mode: 0o600) } },
                agentKey: LinkKey(sessionSecret: secret, role: .agent), group: loop,
                delegate: LinkAdapter(state: state, heartbeat: (options.heartbeatInterval, options.heartbeatTimeout),
                                      relinkGrace: options.reconnectGrace > 0 ? options.reconnectGrace + options.heartbeatTimeout : 0))
        } catch {
            try? loop.syncShutdownGracefully()
            journal?.close()
            throw error
        }
        if let restored { resume(from: restored) }
        // Asked to listen at a place, or restarted where agents on other
        // hosts know the port: listen now (a taken port is an error here).
        if options.listen != nil || (options.journal && FileSystem.exists(directory + "/" + Self.portFileName)) {
            do {
                _ = try listeners.networkAddresses()
            } catch {
                close()
                throw error
            }
        }
    }

    /// Rebuilds the registry from `contents` and gives the agents of pilots
    /// that had not ended the grace period to link again; past it they
    /// count as lost.
    private func resume(from contents: JournalContents) {
        data.restore(contents.dataObjects)
        let waiting = state.mutate { [data] registry in
            let waiting = registry.restore(contents, currentDirectory: FileSystem.currentDirectory(), home: Environment.home) { json in
                try? data.describe(json, waitingForInputs: false)
            }
            for id in waiting { registry.agentExitedDuringOutage(id) }
            return waiting
        }
        let grace = max(options.reconnectGrace, options.heartbeatTimeout)
        EventLoopAlarmClock(loop: loop.next()).schedule(after: grace) { [state] in
            state.mutate { registry in
                for id in waiting {
                    registry.agentDidNotReturn(id, because: "its agent did not link again within \(durationText(grace)) of the coordinator's restart")
                }
            }
        }
    }

    /// Ends the session: cancels every pilot (nothing is left running),
    /// delivers the last events and stops listening. Idempotent.
    package func close() {
        let pilotIDs = state.mutate { registry -> [String]? in
            guard !registry.closed else { return nil }
            registry.closed = true
            return registry.pilots.values.filter { !$0.state.isFinal }.map(\.id)
        }
        guard let pilotIDs else { return }
        for id in pilotIDs { _ = try? requestCancel(pilotID: id) }
        for id in pilotIDs { finishCancel(pilotID: id) }
        // Units still queued for a pilot end too: nothing stays open in a closed session.
        state.mutate { registry in
            for unit in registry.units.values where !unit.state.isFinal {
                registry.setState(unit, .canceled, reason: "the session was closed")
            }
        }
        state.delivery.stop()
        listeners.shutdown()
        try? loop.syncShutdownGracefully()
        state.journal?.close()
        rmdir(sessionDirectory)
        lock.release()
    }

    // MARK: Services

    /// Creates a PilotComputeService; returns its id (`pcs-<uuid>`).
    package func createPilotComputeService() throws(PilotError) -> String {
        let id = IdentifierKind.pilotComputeService.make()
        try recordThenMutate(JournalBatch(pilotServices: [id])) { registry -> Result<Void, PilotError> in
            .success(registry.addPilotService(id))
        }
        return id
    }

    /// Creates a ComputeDataService; returns its id (`cds-<uuid>`).
    package func createComputeDataService(binding: Binding) throws(PilotError) -> String {
        let id = IdentifierKind.computeDataService.make()
        try recordThenMutate(JournalBatch(computeServices: [ComputeServiceRow(id: id, binding: binding, canceled: false)])) { registry -> Result<Void, PilotError> in
            .success(registry.addComputeService(id, binding: binding))
        }
        return id
    }

    /// A snapshot of ComputeDataService `id`.
    package func details(ofComputeService id: String) throws(PilotError) -> ComputeServiceDetails {
        try state.read { registry in
            registry.computeServices[id].map { Result.success(registry.details(of: $0)) } ?? .failure(PilotError.noObject(id))
        }.get()
    }

    /// Lets the pilots of PCS `pilotServiceID` (present and future) run the units of `computeServiceID`.
    package func add(pilotService pilotServiceID: String, to computeServiceID: String) throws(PilotError) {
        try link(pilotServiceID, computeServiceID, linked: true) { $0.link($1, to: $2) }
    }

    /// Detaches a PCS from a ComputeDataService; units already bound keep running.
    package func remove(pilotService pilotServiceID: String, from computeServiceID: String) throws(PilotError) {
        try link(pilotServiceID, computeServiceID, linked: false) { $0.unlink($1, from: $2) }
    }

    /// Journals the (un)linking of a PCS and a ComputeDataService, then
    /// applies `change` to both; not-found for a missing one.
    private func link(_ pilotServiceID: String, _ computeServiceID: String, linked: Bool,
                      _ change: (Registry, PilotServiceRecord, ComputeServiceRecord) -> Void) throws(PilotError) {
        let row = JournalBatch(links: [(pilotServiceID, computeServiceID, linked)])
        try recordThenMutate(row, check: { $0.services(pilotServiceID, computeServiceID).map { _ in () } }) { registry -> Result<Void, PilotError> in
            registry.services(pilotServiceID, computeServiceID).map { pilots, service in change(registry, pilots, service) }
        }
    }

    // MARK: Pilots

    /// Validates `description`, registers a Pending pilot in PCS
    /// `pilotServiceID` and starts its agent; returns the pilot's id.
    package func createPilot(in pilotServiceID: String, description json: JSONValue) throws(PilotError) -> String {
        let description = try PilotDescription(json: json, currentDirectory: FileSystem.currentDirectory(), home: Environment.home)
        let launcher = try Launchers.launcher(for: description.serviceURL)
        // Before anything reaches a resource manager: nothing is submitted without an agent to run.
        let agent = try AgentExecutable.locate(otherHosts: launcher.linksOverNetwork)
        try launcher.prepare(description)
        let id = IdentifierKind.pilot.make()
        let record = PilotRecord(id: id, serviceID: pilotServiceID, description: description, source: json, token: Secret.make())
        try PilotFiles.stage(description, into: record.sandbox)
        let exists: (Registry) -> Result<Void, PilotError> = { registry in
            registry.pilotServices[pilotServiceID] != nil ? .success(()) : .failure(.noObject(pilotServiceID))
        }
        try recordThenMutate(JournalBatch(pilots: [PilotRow(record)]), check: exists) { registry -> Result<Void, PilotError> in
            guard let service = registry.pilotServices[pilotServiceID] else { return .failure(.noObject(pilotServiceID)) }
            return .success(registry.add(record, to: service))
        }
        var bootstrap = AgentBootstrap(
            pilotID: id, token: record.token, socketPath: listeners.agentSocket, sandbox: record.sandbox,
            slots: description.processes, heartbeatInterval: options.heartbeatInterval,
            heartbeatTimeout: options.heartbeatTimeout, reconnectGrace: options.reconnectGrace)
        bootstrap.launchMethod = description.launchMethod
        let state = state
        do {
            if launcher.linksOverNetwork || options.allAgentsOverNetwork {
                // The agent may run on another host: it links over the network.
                bootstrap.networkAddresses = try agentNetworkAddresses()
                bootstrap.linkKey = listeners.agentKey.hex
            }
            let job = try launcher.launch(
                AgentLaunch(pilotID: id, description: description, bootstrap: bootstrap, agentExecutable: agent),
                observer: JobObserver(
                    nativeState: { native in state.mutate { $0.pilots[id]?.nativeState = native } },
                    ended: { end in state.mutate { $0.agentGone(id, reason: end.reason, jobEnded: true, jobStarted: end.started) } }))
            state.mutate { registry in
                record.job = job
                registry.changed(record)
                if record.state.isFinal { registry.effects.terminations.append(job) }
            }
        } catch {
            state.mutate { registry in
                registry.setState(record, .failed, reason: error.message)
                // Refused at launch: the caller gets the reason; no log is left behind in its working directory.
                registry.effects.logs.removeAll { $0.pilotID == id }
            }
            throw error
        }
        return id
    }

    /// The addresses agents on other hosts (and network clients) link to
    /// (`host:port`, tried in order); the network listener starts on the
    /// first call.
    package func agentNetworkAddresses() throws(PilotError) -> [String] {
        try listeners.networkAddresses().map(\.text)
    }

    /// Where a journaled session keeps the port its network listener bound:
    /// agents on other hosts were told it, so a restart binds it again.
    static let portFileName = "network-port"

    /// `listen`, with the port the session in `directory` bound before
    /// when `listen` leaves the port to the system.
    private static func rememberedPort(_ listen: NetworkAddress, in directory: String?) -> NetworkAddress {
        guard listen.port == 0, let directory, let text = FileSystem.read(directory + "/" + portFileName)?.trimmed,
              let port = Int(text), (1...65535).contains(port) else { return listen }
        return NetworkAddress(host: listen.host, port: port)
    }

    /// Writes the session secret into the session directory (0600), where
    /// clients on this host read it, unless it is there.
    package func publishSecret() throws(PilotError) {
        try SessionSecret.store(sessionSecret, at: sessionDirectory + "/" + CoordinationURL.secretName)
    }

    /// Admits network clients that prove the session's client key, served
    /// by `service` (a served session's).
    package func admitNetworkClients(_ service: LinkService) {
        listeners.admit(.client, key: LinkKey(sessionSecret: sessionSecret, role: .client), service: service)
    }

    /// Cancels pilot `id` and returns once it is final: its units are
    /// cancelled, its agent has exited (or was killed after a grace period).
    package func cancel(pilotID id: String) throws(PilotError) {
        guard try requestCancel(pilotID: id) == false else { return }
        finishCancel(pilotID: id)
    }

    /// Cancels every pilot of a PCS.
    package func cancel(pilotServiceID id: String) throws(PilotError) {
        let pilotIDs = try pilots(of: id)
        for pilotID in pilotIDs { _ = try? requestCancel(pilotID: pilotID) }
        for pilotID in pilotIDs { finishCancel(pilotID: pilotID) }
    }

    private func requestCancel(pilotID id: String) throws(PilotError) -> Bool {
        try state.mutate { registry -> Result<Bool, PilotError> in
            guard let pilot = registry.pilots[id] else { return .failure(.noObject(id)) }
            return .success(registry.requestCancel(pilot))
        }.get()
    }

    /// Waits until the pilot is final and its job is over (the agent process
    /// is gone); past the grace period the job is killed.
    private func finishCancel(pilotID id: String) {
        let deadline = WallClock.monotonic() + Self.cancelGrace
        let ended = state.registry.wait(until: deadline) { registry -> Bool? in
            guard let pilot = registry.pilots[id] else { return true }
            return pilot.state.isFinal && (pilot.jobEnded || pilot.job == nil || !pilot.jobEndObserved) ? true : nil
        }
        guard ended == nil else { return }
        state.mutate { registry in
            guard let pilot = registry.pilots[id] else { return }
            if let job = pilot.job { registry.effects.terminations.append(job) }
            registry.setState(pilot, .canceled, reason: "canceled by user; the agent did not stop within \(Int(Self.cancelGrace)) s and was killed")
        }
        _ = state.registry.wait(until: WallClock.monotonic() + 1) { registry -> Bool? in
            registry.pilots[id].map { $0.jobEnded || $0.job == nil || !$0.jobEndObserved ? true : nil } ?? true
        }
    }

    /// The ids of the pilots of PCS `id`.
    package func pilots(of id: String) throws(PilotError) -> [String] {
        try state.read { registry in
            registry.pilotServices[id].map { Result.success($0.pilotIDs) } ?? .failure(PilotError.noObject(id))
        }.get()
    }

    /// A snapshot of pilot `id`.
    package func details(ofPilot id: String) throws(PilotError) -> PilotDetails {
        try read(pilot: id) { registry, pilot in registry.details(of: pilot) }
    }

    /// Runs `body` on pilot `id` under the lock, or fails with not-found.
    func read<Value>(pilot id: String, _ body: (Registry, PilotRecord) -> Value) throws(PilotError) -> Value {
        try state.read { registry in
            registry.pilots[id].map { Result.success(body(registry, $0)) } ?? .failure(PilotError.noObject(id))
        }.get()
    }

    /// Runs `body` on unit `id` under the lock, or fails with not-found.
    func read<Value>(unit id: String, _ body: (Registry, UnitRecord) -> Value) throws(PilotError) -> Value {
        try state.read { registry in
            registry.units[id].map { Result.success(body(registry, $0)) } ?? .failure(PilotError.noObject(id))
        }.get()
    }

    // MARK: Helpers

    /// What a session directory holds; each must be this user's alone.
    static let sessionEntries = [
        CoordinationURL.secretName, CoordinationURL.socketName, agentSocketName, portFileName,
        Journal.fileName, Journal.fileName + "-wal", Journal.fileName + "-shm",
    ]

    /// The agents' socket in the session directory.
    static let agentSocketName = "agents.sock"

    /// Journals `batch` (what the call creates), then applies `change`.
    /// `check` (and the session being open) is tested before anything is
    /// written, and again with `change`, under one lock. If the journal
    /// cannot be written, nothing changed and the call says so.
    func recordThenMutate<Value>(_ batch: JournalBatch, check: (Registry) -> Result<Void, PilotError> = { _ in .success(()) },
                                 _ change: (Registry) -> Result<Value, PilotError>) throws(PilotError) -> Value {
        func admissible(_ registry: Registry) -> Result<Void, PilotError> {
            registry.closed ? .failure(.sessionClosed) : check(registry)
        }
        try state.read { admissible($0) }.get()
        try state.record(batch)
        return try state.mutate { registry in admissible(registry).flatMap { change(registry) } }.get()
    }
}
