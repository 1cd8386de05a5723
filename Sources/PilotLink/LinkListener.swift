import Glibc
import NIOCore
import NIOPosix
import PilotModel
import PilotSystem

/// Where a `LinkListener` listens, and what serves its links.
package enum ListenPlace: Sendable {
    /// A Unix socket (mode 0600) at this path, for peers on this host.
    case socket(String, LinkService)
    /// A TCP address (port 0: one the system picks) for peers on any host;
    /// every link is encrypted and must first prove the key of one of
    /// `roles` (`SecureLinkHandler`), which then serves it; `refused` hears
    /// of every peer turned away.
    case network(NetworkAddress, roles: LinkRoles, refused: @Sendable (String) -> Void)
}

/// Listens for links, each served (`LinkService`) on the owner's event
/// loop group. Used for agent links and for clients of a served coordinator.
package final class LinkListener: Sendable {
    /// Where it listens (for the network: with the port actually bound).
    package let place: ListenPlace
    private let channel: Channel
    private let stopped = Monitor(false)

    /// Starts listening on `group` (replacing a stale socket file); `what`
    /// names the peers in errors ("agents", "clients").
    package init(_ place: ListenPlace, on group: EventLoopGroup, for what: String) throws(PilotError) {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            // Out of file descriptors, accepting pauses instead of spinning.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler()) }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    switch place {
                    case .socket(_, let service):
                        try service.install(on: pipeline)
                    case .network(_, let roles, let refused):
                        try pipeline.addHandler(SecureLinkHandler(.responder(keys: roles.keys, refused: refused)))
                        try pipeline.addHandler(LinkRoleSwitch(roles: roles))
                    }
                }
            }
        do {
            switch place {
            case .socket(let path, _):
                unlink(path)
                channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
                chmod(path, 0o600)
                self.place = place
            case .network(let address, let roles, let refused):
                channel = try bootstrap.serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                    .bind(host: address.host, port: address.port).wait()
                let port = channel.localAddress?.port ?? address.port
                self.place = .network(NetworkAddress(host: address.host, port: port), roles: roles, refused: refused)
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
        if case .socket(let path, _) = place { unlink(path) }
    }
}

extension ListenPlace {
    /// For messages: the socket's path or `host:port`.
    package var text: String {
        switch self {
        case .socket(let path, _): path
        case .network(let address, _, _): address.text
        }
    }
}
