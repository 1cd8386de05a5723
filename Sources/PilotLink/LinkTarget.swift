import NIOCore
import NIOPosix
import PilotModel

/// Where a link is opened to: a coordinator's Unix socket on this host, or
/// its network address, where the link is encrypted and proves `key`
/// (`SecureLinkHandler`).
package enum LinkTarget: Sendable {
    /// A Unix socket's path.
    case socket(String)
    /// A TCP address and the key to prove there.
    case network(NetworkAddress, key: LinkKey)

    /// Seconds a TCP connect may take before the next target is tried.
    package static let connectTimeout: TimeAmount = .seconds(3)

    /// For messages: the path or `host:port`.
    package var text: String {
        switch self {
        case .socket(let path): path
        case .network(let address, _): address.text
        }
    }

    /// Opens a link served by `service` on `eventLoop`.
    package func connect(on eventLoop: EventLoop, service: LinkService) -> EventLoopFuture<Channel> {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(Self.connectTimeout)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if case .network(_, let key) = self {
                        try channel.pipeline.syncOperations.addHandler(SecureLinkHandler(.initiator(key)))
                    }
                    try service.install(on: channel.pipeline.syncOperations)
                }
            }
        switch self {
        case .socket(let path):
            return bootstrap.connect(unixDomainSocketPath: path)
        case .network(let address, _):
            return bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(host: address.host, port: address.port)
        }
    }

    /// Opens a link to the first of `targets` that accepts a connection;
    /// fails naming every target tried and why each failed.
    package static func connect(first targets: [LinkTarget], on eventLoop: EventLoop, service: LinkService) -> EventLoopFuture<Channel> {
        @Sendable func attempt(_ index: Int, failures: [String]) -> EventLoopFuture<Channel> {
            guard index < targets.count else {
                return eventLoop.makeFailedFuture(LinkTargetsFailed(failures: failures.isEmpty ? ["no address to try"] : failures))
            }
            let target = targets[index]
            return target.connect(on: eventLoop, service: service).flatMapError { error in
                attempt(index + 1, failures: failures + ["\(target.text) (\(connectFailure(error)))"])
            }
        }
        return attempt(0, failures: [])
    }
}

/// No target of a link accepted a connection.
package struct LinkTargetsFailed: Error, CustomStringConvertible {
    /// Each target and why it failed.
    package let failures: [String]

    package var description: String { failures.joined(separator: ", ") }
}
