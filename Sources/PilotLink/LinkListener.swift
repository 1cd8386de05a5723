import Glibc
import NIOCore
import NIOPosix
import PilotModel
import PilotSystem

/// Listens on a Unix socket (mode 0600) for links that read `Inbound` and
/// write `Outbound` messages, each link handled by a new handler on the
/// owner's event loop group. Used for agent links and for clients of a
/// served coordinator.
package final class LinkListener: Sendable {
    /// The socket's path.
    package let socketPath: String
    private let channel: Channel
    private let stopped = Monitor(false)

    /// Starts listening on `group` (replacing a stale socket file); `what`
    /// names the peers in errors ("agents", "clients").
    package init<Inbound: WireMessage, Outbound: WireMessage>(
        socketPath: String, on group: EventLoopGroup, for what: String, reading: Inbound.Type, writing: Outbound.Type,
        handler: @escaping @Sendable () -> ChannelHandler
    ) throws(PilotError) {
        self.socketPath = socketPath
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
            throw PilotError(.backend, "cannot listen for \(what) on \(socketPath): \(error)")
        }
        chmod(socketPath, 0o600)
    }

    /// Stops listening (links stay open until their group shuts down). Idempotent.
    package func shutdown() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? channel.close().wait()
        unlink(socketPath)
    }
}
