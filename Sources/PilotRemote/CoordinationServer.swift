import NIOPosix
import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem

/// Serves a coordinator to other processes of the same user (`pilotctl
/// serve`): a Unix socket in the session directory (0700 directory, 0600
/// socket) plus the session secret in a 0600 file beside it, which every
/// client must present.
package final class CoordinationServer: Sendable {
    /// The URL clients connect with.
    package let url: CoordinationURL
    private let listener: LinkListener
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Starts serving `coordinator`. An existing secret file (a restarted
    /// session) is kept, so clients that read it stay valid.
    package init(coordinator: Coordinator) throws(PilotError) {
        url = CoordinationURL(sessionDirectory: coordinator.sessionDirectory)
        let secret = coordinator.sessionSecret
        do {
            listener = try LinkListener(
                .socket(url.socketPath), on: group, for: "clients", reading: ClientRequest.self, writing: ServerMessage.self,
                handler: { ServerLinkHandler(coordinator: coordinator, secret: secret) })
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Stops listening; client links close. Idempotent.
    package func shutdown() {
        listener.shutdown()
        try? group.syncShutdownGracefully()
    }
}
