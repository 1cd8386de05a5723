import NIOCore
import NIOPosix
import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem

/// A session held by a standalone coordinator (`pilotctl serve`) in another
/// process: every call is forwarded over the coordinator's Unix socket (or
/// its network link) and answered there. Closing it disconnects and leaves the session's pilots
/// and units running, so other processes can reconnect to them by URL.
package final class RemoteCoordinator: Coordination {
    /// The served session's id (`ps-<uuid>`).
    package let sessionID: String
    /// The URL this client connected with.
    package var coordinationURL: String? { url.text }
    /// False once the link to the coordinator is lost.
    package var isConnected: Bool { !calls.isLost }
    private let url: CoordinationURL
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let calls: PendingCalls
    private let delivery = EventDelivery()
    private let eventsStarted = Monitor(false)
    private let closed = Monitor(false)

    /// Connects to the coordinator at `url` and presents the session secret
    /// (`Credentials`): over its socket, or over the network, where the
    /// link is encrypted and proves the session's client key first.
    package init(url: CoordinationURL) throws(PilotError) {
        self.url = url
        let secret = try Credentials.secret(for: url)
        let calls = PendingCalls(url: url)
        self.calls = calls
        let delivery = delivery
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let target: LinkTarget = url.network.map {
            .network(NetworkAddress(host: $0.host, port: $0.port), key: LinkKey(sessionSecret: secret, role: .client))
        } ?? .socket(url.socketPath)
        let service = LinkService(reading: ServerMessage.self, writing: ClientRequest.self) {
            RemoteLinkHandler(calls: calls, delivery: delivery)
        }
        do {
            channel = try target.connect(on: group.next(), service: service).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "cannot reach the coordinator at \(url.text): \(connectFailure(error)); start it with `pilotctl serve` or check the URL")
        }
        let reply: ClientReply
        do {
            reply = try calls.call(.hello(secret: secret, protocolVersion: ClientProtocol.version), on: channel)
        } catch {
            channel.close(promise: nil)
            try? group.syncShutdownGracefully()
            guard let network = url.network, let refusal = calls.refusal else { throw error }
            throw Self.refusalError(refusal, url: url, credentials: Credentials.path(sessionID: network.sessionID))
        }
        guard case .welcome(let sessionID) = reply else {
            channel.close(promise: nil)
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "the coordinator at \(url.text) did not answer hello")
        }
        self.sessionID = sessionID
    }

    /// What a failed network handshake means for the user.
    private static func refusalError(_ refusal: SecureLinkError, url: CoordinationURL, credentials: String) -> PilotError {
        switch refusal {
        case .unproven, .refused:
            PilotError(.denied, "the coordinator at \(url.text) and this client do not share a key (\(refusal.message)): \(credentials) is not the credentials file of this session, or the URL names another one")
        case .timedOut:
            PilotError(.backend, "the peer at \(url.text) did not finish the handshake in time; is the URL the one `pilotctl serve --listen` printed?")
        default:
            PilotError(.backend, "the peer at \(url.text) does not speak the pilot link (\(refusal.message)); is the URL the one `pilotctl serve --listen` printed?")
        }
    }

    deinit {
        close()
    }

    /// Disconnects; the session and its pilots stay with the coordinator. Idempotent.
    package func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        channel.close(promise: nil)
        try? channel.closeFuture.wait()
        try? group.syncShutdownGracefully()
        delivery.stop()
    }

    // MARK: Calls

    private func call(_ call: ClientCall) throws(PilotError) -> ClientReply {
        try calls.call(call, on: channel)
    }

    private func identifier(_ call: ClientCall) throws(PilotError) -> String {
        guard case .identifier(let id) = try self.call(call) else { throw Self.unexpected(call) }
        return id
    }

    private func identifiers(_ call: ClientCall) throws(PilotError) -> [String] {
        guard case .identifiers(let ids) = try self.call(call) else { throw Self.unexpected(call) }
        return ids
    }

    private func state(_ call: ClientCall) throws(PilotError) -> State {
        guard case .state(let state) = try self.call(call) else { throw Self.unexpected(call) }
        return state
    }

    private func done(_ call: ClientCall) throws(PilotError) {
        guard case .done = try self.call(call) else { throw Self.unexpected(call) }
    }

    private static func unexpected(_ call: ClientCall) -> PilotError {
        PilotError(.internal, "the coordinator answered \(call) with a reply of the wrong kind")
    }

    // MARK: Coordination (each call is forwarded; see `Coordination` for what it does)

    package func createPilotComputeService() throws(PilotError) -> String {
        try identifier(.createPilotComputeService)
    }

    package func createComputeDataService(binding: Binding) throws(PilotError) -> String {
        try identifier(.createComputeDataService(binding))
    }

    package func details(ofComputeService id: String) throws(PilotError) -> ComputeServiceDetails {
        let call = ClientCall.computeServiceDetails(id)
        guard case .computeServiceDetails(let details) = try self.call(call) else { throw Self.unexpected(call) }
        return details
    }

    package func add(pilotService: String, to computeService: String) throws(PilotError) {
        try done(.add(pilotService: pilotService, computeService: computeService))
    }

    package func remove(pilotService: String, from computeService: String) throws(PilotError) {
        try done(.remove(pilotService: pilotService, computeService: computeService))
    }

    package func createPilot(in pilotService: String, description: JSONValue) throws(PilotError) -> String {
        try identifier(.createPilot(pilotService: pilotService, description: description))
    }

    package func pilots(of pilotService: String) throws(PilotError) -> [String] {
        try identifiers(.pilots(pilotService: pilotService))
    }

    package func details(ofPilot id: String) throws(PilotError) -> PilotDetails {
        let call = ClientCall.pilotDetails(id)
        guard case .pilotDetails(let details) = try self.call(call) else { throw Self.unexpected(call) }
        return details
    }

    package func cancel(pilotID: String) throws(PilotError) {
        try done(.cancelPilot(pilotID))
    }

    package func cancel(pilotServiceID: String) throws(PilotError) {
        try done(.cancelPilotService(pilotServiceID))
    }

    package func wait(pilotStarted id: String, timeout: Double?) throws(PilotError) -> State {
        try state(.waitPilotStarted(id, timeout: timeout))
    }

    package func wait(pilotID id: String, timeout: Double?) throws(PilotError) -> State {
        try state(.waitPilot(id, timeout: timeout))
    }

    package func submit(_ description: JSONValue, to target: UnitTarget) throws(PilotError) -> String {
        try identifier(.submit(target, [description], many: false))
    }

    package func submit(many descriptions: [JSONValue], to target: UnitTarget) throws(PilotError) -> [String] {
        try identifiers(.submit(target, descriptions, many: true))
    }

    package func details(ofUnit id: String) throws(PilotError) -> UnitDetails {
        let call = ClientCall.unitDetails(id)
        guard case .unitDetails(let details) = try self.call(call) else { throw Self.unexpected(call) }
        return details
    }

    package func state(ofUnit id: String) throws(PilotError) -> State {
        try state(.unitState(id))
    }

    package func wait(unitID id: String, timeout: Double?) throws(PilotError) -> State {
        try state(.waitUnit(id, timeout: timeout))
    }

    package func wait(computeServiceID id: String, timeout: Double?) throws(PilotError) {
        try done(.waitComputeService(id, timeout: timeout))
    }

    package func cancel(unitIDs ids: [String]) throws(PilotError) {
        try done(.cancelUnits(ids))
    }

    package func cancel(computeServiceID id: String) throws(PilotError) {
        try done(.cancelComputeService(id))
    }

    package func units(ofComputeService id: String) throws(PilotError) -> [String] {
        try identifiers(.unitsOfComputeService(id))
    }

    package func units(ofPilot id: String) throws(PilotError) -> [String] {
        try identifiers(.unitsOfPilot(id))
    }

    package func data(_ request: DataRequest) throws(PilotError) -> DataReply {
        let call = ClientCall.data(request)
        guard case .data(let reply) = try self.call(call) else { throw Self.unexpected(call) }
        return reply
    }

    package func overview(scope: String?, listing: UnitListing) throws(PilotError) -> SessionOverview {
        let call = ClientCall.overview(scope: scope, listing: listing)
        guard case .overview(let overview) = try self.call(call) else { throw Self.unexpected(call) }
        return overview
    }

    package func output(of source: OutputSource, offset: Int64, limit: Int) throws(PilotError) -> OutputChunk {
        let call = ClientCall.output(source, offset: offset, limit: limit)
        guard case .output(let chunk) = try self.call(call) else { throw Self.unexpected(call) }
        return chunk
    }

    /// Subscribes locally; the first subscription asks the coordinator to
    /// stream events, which are then delivered on this process's own
    /// delivery thread (handlers may call back in).
    package func subscribe(_ handler: @escaping @Sendable (StateEvent) -> Void) throws(PilotError) -> UInt64 {
        guard let id = delivery.subscribe(handler) else {
            throw PilotError(.internal, "cannot start the event delivery thread")
        }
        let first = eventsStarted.withLock { started in
            defer { started = true }
            return !started
        }
        if first {
            do {
                try done(.events(true))
            } catch {
                eventsStarted.withLock { $0 = false }
                _ = delivery.unsubscribe(id)
                throw error
            }
        }
        return id
    }

    package func unsubscribe(_ id: UInt64) throws(PilotError) {
        guard delivery.unsubscribe(id) else {
            throw PilotError(.notFound, "no subscription \(id) in this session")
        }
    }
}
