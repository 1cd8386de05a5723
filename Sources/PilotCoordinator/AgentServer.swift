import Logging
import NIOCore
import PilotLink
import PilotModel
import PilotSystem

/// Listens for agent links: on a Unix socket inside the session directory
/// (mode 0700, so only the session's user can reach it), and, from the
/// first pilot whose agent may run on another host, on a TCP address where
/// each link is encrypted and proves the session's agent key. Each agent
/// proves its pilot's secret on top.
final class AgentServer: Sendable {
    private let socket: LinkListener
    private let network: Monitor<LinkListener?>
    private let listen: NetworkAddress
    private let group: EventLoopGroup
    private let delegate: AgentLinkDelegate
    /// What agents on other hosts prove.
    let agentKey: LinkKey

    /// Starts listening on the socket on `group`, which the caller owns and
    /// shuts down; the network listener binds `listen` when first needed.
    init(socketPath: String, listen: NetworkAddress, agentKey: LinkKey, group: EventLoopGroup, delegate: AgentLinkDelegate) throws(PilotError) {
        socket = try LinkListener(
            .socket(socketPath), on: group, for: "agents", reading: AgentMessage.self, writing: CoordinatorMessage.self,
            handler: { CoordinatorLinkHandler(delegate: delegate) })
        network = Monitor(nil)
        self.listen = listen
        self.agentKey = agentKey
        self.group = group
        self.delegate = delegate
    }

    /// The socket agents on this host connect to.
    var socketPath: String { socket.place.text }

    /// The addresses agents on other hosts try, in order; the network
    /// listener starts on the first call.
    func networkAddresses() throws(PilotError) -> [NetworkAddress] {
        let started = network.withLock { listener -> Result<LinkListener, PilotError> in
            if let listener { return .success(listener) }
            let logger = Logger(label: "pilot.coordinator")
            do throws(PilotError) {
                let started = try LinkListener(
                    .network(listen, keys: [agentKey], refused: { logger.warning("agent link: \($0)") }), on: group, for: "agents",
                    reading: AgentMessage.self, writing: CoordinatorMessage.self,
                    handler: { [delegate] in CoordinatorLinkHandler(delegate: delegate) })
                logger.info("listening for agents on \(started.place.text)")
                listener = started
                return .success(started)
            } catch {
                return .failure(error)
            }
        }
        let listener = try started.get()
        guard case .network(let bound, _, _) = listener.place else { return [] }
        return HostAddresses.advertised(for: bound)
    }

    /// Stops listening; open links close with their group.
    func shutdown() {
        socket.shutdown()
        network.withLock { $0 }?.shutdown()
    }
}
