import Glibc
import NIOCore
import NIOPosix
import PilotLink
import PilotModel

/// Listens for agent links on a Unix socket inside the session directory
/// (mode 0700, so only the session's user can reach it; the per-pilot
/// token is checked on top).
final class AgentServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let socketPath: String
    private let channel: Channel

    init(socketPath: String, delegate: AgentLinkDelegate) throws(PilotError) {
        self.socketPath = socketPath
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        unlink(socketPath)
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addLinkHandlers(
                            reading: AgentMessage.self, writing: CoordinatorMessage.self,
                            then: CoordinatorLinkHandler(delegate: delegate))
                    }
                }
                .bind(unixDomainSocketPath: socketPath)
                .wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "cannot listen for agents on \(socketPath): \(error)")
        }
        chmod(socketPath, 0o600)
    }

    /// Stops listening and closes the event loop (links close with it).
    func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
        unlink(socketPath)
    }
}
