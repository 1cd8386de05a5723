import Logging
import NIOCore
import PilotLink
import PilotModel
import PilotSystem

/// Where a coordinator listens: agents on a Unix socket inside the session
/// directory (mode 0700, so only the session's user can reach it), and,
/// from the first pilot whose agent may run on another host (or the first
/// network client admitted), on one TCP address where every link is
/// encrypted and proves the key of its role (`SecureLinkHandler`): agents
/// the session's agent key (then their pilot's secret on top), clients the
/// client key.
final class Listeners: Sendable {
    private let socket: LinkListener
    private let network: Monitor<LinkListener?>
    private let roles: LinkRoles
    private let listen: NetworkAddress
    private let group: EventLoopGroup
    private let bound: @Sendable (Int) -> Void
    /// What agents on other hosts prove.
    let agentKey: LinkKey

    /// Starts listening for agents on the socket on `group`, which the
    /// caller owns and shuts down; the network listener binds `listen` when
    /// first needed and tells `bound` its port.
    init(agentSocket: String, listen: NetworkAddress, bound: @escaping @Sendable (Int) -> Void, agentKey: LinkKey,
         group: EventLoopGroup, delegate: AgentLinkDelegate) throws(PilotError) {
        let agents = LinkService(reading: AgentMessage.self, writing: CoordinatorMessage.self) {
            CoordinatorLinkHandler(delegate: delegate)
        }
        socket = try LinkListener(.socket(agentSocket, agents), on: group, for: "agents")
        roles = LinkRoles(.agent, key: agentKey, service: agents)
        network = Monitor(nil)
        self.listen = listen
        self.agentKey = agentKey
        self.group = group
        self.bound = bound
    }

    /// The socket agents on this host connect to.
    var agentSocket: String { socket.place.text }

    /// Admits network links of `role` proving `key`, served by `service`.
    func admit(_ role: LinkRole, key: LinkKey, service: LinkService) {
        roles.admit(role, key: key, service: service)
    }

    /// The network listener's addresses as peers should try them, in order;
    /// it starts on the first call.
    func networkAddresses() throws(PilotError) -> [NetworkAddress] {
        let started = network.withLock { listener -> Result<LinkListener, PilotError> in
            if let listener { return .success(listener) }
            let logger = Logger(label: "pilot.coordinator")
            let refusals = RefusalLog()
            do throws(PilotError) {
                let started = try LinkListener(
                    .network(listen, roles: roles, refused: { refusals.log($0) }), on: group, for: "agents and clients")
                logger.info("listening for agents and clients on \(started.place.text)")
                if case .network(let address, _, _) = started.place { bound(address.port) }
                listener = started
                return .success(started)
            } catch {
                return .failure(error)
            }
        }
        guard case .network(let bound, _, _) = try started.get().place else { return [] }
        return HostAddresses.advertised(for: bound)
    }

    /// Stops listening; open links close with their group.
    func shutdown() {
        socket.shutdown()
        network.withLock { $0 }?.shutdown()
    }
}
