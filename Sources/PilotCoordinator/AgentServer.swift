import NIOCore
import PilotLink
import PilotModel

/// Listens for agent links on a Unix socket inside the session directory
/// (mode 0700, so only the session's user can reach it; the per-pilot
/// token is checked on top).
final class AgentServer: Sendable {
    private let listener: LinkListener

    init(socketPath: String, delegate: AgentLinkDelegate) throws(PilotError) {
        listener = try LinkListener(
            socketPath: socketPath, for: "agents", reading: AgentMessage.self, writing: CoordinatorMessage.self,
            handler: { CoordinatorLinkHandler(delegate: delegate) })
    }

    /// The socket agents connect to.
    var socketPath: String { listener.socketPath }

    /// The loop agent links run on (timers that act on them use it too).
    var group: EventLoopGroup { listener.group }

    /// Stops listening and closes the event loop (links close with it).
    func shutdown() {
        listener.shutdown()
    }
}
