import Glibc
import NIOCore
import NIOPosix
import PilotModel
import PilotSystem

/// Where a `LinkListener` listens.
package enum ListenPlace: Sendable {
    /// A Unix socket (mode 0600) at this path, for peers on this host.
    case socket(String)
    /// A TCP address (port 0: one the system picks) for peers on any host;
    /// every link is encrypted and must prove one of `keys` first
    /// (`SecureLinkHandler`); `refused` hears of every peer turned away.
    case network(NetworkAddress, keys: [LinkKey], refused: @Sendable (String) -> Void)
}

/// Listens for links that read `Inbound` and write `Outbound` messages,
/// each link handled by a new handler on the owner's event loop group.
/// Used for agent links and for clients of a served coordinator.
package final class LinkListener: Sendable {
    /// Where it listens (for the network: with the port actually bound).
    package let place: ListenPlace
    private let channel: Channel
    private let stopped = Monitor(false)

    /// Starts listening on `group` (replacing a stale socket file); `what`
    /// names the peers in errors ("agents", "clients").
    package init<Inbound: WireMessage, Outbound: WireMessage>(
        _ place: ListenPlace, on group: EventLoopGroup, for what: String, reading: Inbound.Type, writing: Outbound.Type,
        handler: @escaping @Sendable () -> ChannelHandler
    ) throws(PilotError) {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if case .network(_, let keys, let refused) = place {
                        try channel.pipeline.syncOperations.addHandler(SecureLinkHandler(.responder(keys: keys, refused: refused)))
                    }
                    try channel.pipeline.syncOperations.addLinkHandlers(reading: reading, writing: writing, then: handler())
                }
            }
        do {
            switch place {
            case .socket(let path):
                unlink(path)
                channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
                chmod(path, 0o600)
                self.place = place
            case .network(let address, let keys, let refused):
                channel = try bootstrap.serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: address.host, port: address.port).wait()
                let port = channel.localAddress?.port ?? address.port
                self.place = .network(NetworkAddress(host: address.host, port: port), keys: keys, refused: refused)
            }
        } catch {
            throw PilotError(.backend, "cannot listen for \(what) on \(place.text): \(error)")
        }
    }

    /// Stops listening (links stay open until their group shuts down). Idempotent.
    package func shutdown() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? channel.close().wait()
        if case .socket(let path) = place { unlink(path) }
    }
}

extension ListenPlace {
    /// For messages: the socket's path or `host:port`.
    package var text: String {
        switch self {
        case .socket(let path): path
        case .network(let address, _, _): address.text
        }
    }
}
