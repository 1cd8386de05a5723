import Glibc
import NIOCore
import NIOPosix
import PilotModel
import PilotSystem

/// Listens on a Unix socket (mode 0600) for links that read `Inbound` and
/// write `Outbound` messages, each link handled by a new handler on one
/// event loop. Used for agent links and for clients of a served coordinator.
public final class LinkListener: Sendable {
    /// The socket's path.
    public let socketPath: String
    /// The loop the links run on.
    public let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let stopped = Monitor(false)

    /// Starts listening (replacing a stale socket file); `what` names the
    /// peers in errors ("agents", "clients").
    public init<Inbound: WireMessage, Outbound: WireMessage>(
        socketPath: String, for what: String, reading: Inbound.Type, writing: Outbound.Type,
        handler: @escaping @Sendable () -> ChannelHandler
    ) throws(PilotError) {
        self.socketPath = socketPath
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        unlink(socketPath)
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addLinkHandlers(reading: reading, writing: writing, then: handler())
                    }
                }
                .bind(unixDomainSocketPath: socketPath)
                .wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "cannot listen for \(what) on \(socketPath): \(error)")
        }
        chmod(socketPath, 0o600)
    }

    /// Stops listening and closes the event loop (links close with it). Idempotent.
    public func shutdown() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
        unlink(socketPath)
    }
}
