import NIOCore
import PilotLink
import PilotModel

/// Listens for agent links on a Unix socket inside the session directory
/// (mode 0700, so only the session's user can reach it; each agent proves
/// its pilot's secret on top).
final class AgentServer: Sendable {
    private let listener: LinkListener

    /// Starts listening on `group`, which the caller owns and shuts down.
    init(socketPath: String, group: EventLoopGroup, delegate: AgentLinkDelegate) throws(PilotError) {
        listener = try LinkListener(
            socketPath: socketPath, on: group, for: "agents", reading: AgentMessage.self, writing: CoordinatorMessage.self,
            handler: { CoordinatorLinkHandler(delegate: delegate) })
    }

    /// The socket agents connect to.
    var socketPath: String { listener.socketPath }

    /// Stops listening; open links close with their group.
    func shutdown() {
        listener.shutdown()
    }
}
