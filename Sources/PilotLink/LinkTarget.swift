import Glibc
import NIOCore
import NIOPosix
import PilotModel
import PilotSystem

/// Where a link is opened to: a coordinator's Unix socket on this host, or
/// its network address, or a command whose stdin and stdout reach it (ssh
/// through a login host); over the last two the link is encrypted and
/// proves `key` (`SecureLinkHandler`).
package enum LinkTarget: Sendable {
    /// A Unix socket's path.
    case socket(String)
    /// A TCP address and the key to prove there.
    case network(NetworkAddress, key: LinkKey)
    /// A command (argv) that carries the link on its stdin and stdout, and the key to prove.
    case relay([String], key: LinkKey)

    /// Seconds a TCP connect may take before the next target is tried.
    package static let connectTimeout: TimeAmount = .seconds(3)

    /// For messages: the path or `host:port`.
    package var text: String {
        switch self {
        case .socket(let path): path
        case .network(let address, _): address.text
        case .relay(let command, _): command.joined(separator: " ")
        }
    }

    /// Opens a link served by `service` on `eventLoop`.
    package func connect(on eventLoop: EventLoop, service: LinkService) -> EventLoopFuture<Channel> {
        let install = { @Sendable (channel: Channel, key: LinkKey?) -> EventLoopFuture<Void> in
            channel.eventLoop.makeCompletedFuture {
                if let key { try channel.pipeline.syncOperations.addHandler(SecureLinkHandler(.initiator(key))) }
                try service.install(on: channel.pipeline.syncOperations)
            }
        }
        let bootstrap = ClientBootstrap(group: eventLoop).connectTimeout(Self.connectTimeout)
        switch self {
        case .socket(let path):
            return bootstrap.channelInitializer { install($0, nil) }.connect(unixDomainSocketPath: path)
        case .network(let address, let key):
            return bootstrap.channelInitializer { install($0, key) }.channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: address.host, port: address.port)
        case .relay(let command, let key):
            // Its stderr is ours (the agent's log): ssh says there why it failed.
            let request = SpawnRequest(arguments: command, environment: Environment.current(), workingDirectory: nil,
                                       input: nil, output: "", error: "")
            switch ProcessSpawner.spawnConnected(request) {
            case .success(let process):
                return NIOPipeBootstrap(group: eventLoop).channelInitializer { install($0, key) }
                    .takingOwnershipOfDescriptors(input: process.read, output: process.write)
            case .failure(let failure):
                return eventLoop.makeFailedFuture(failure)
            }
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
