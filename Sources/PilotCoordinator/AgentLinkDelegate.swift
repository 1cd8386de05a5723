import NIOCore
import PilotModel

/// What the coordinator does with what agents say. Called on the link's
/// event loop; implementations take their own lock.
protocol AgentLinkDelegate: Sendable {
    /// Checks a hello; `.welcome` links the agent to its pilot.
    func admit(_ hello: AgentHello, on channel: Channel) -> CoordinatorMessage
    /// Applies a message from the agent of `pilotID`.
    func received(_ message: AgentMessage, from pilotID: String)
    /// The link of `pilotID` is gone.
    func linkLost(_ pilotID: String, reason: String)
    /// Seconds between heartbeats, and of silence before a link counts as dead.
    var heartbeat: (interval: Double, timeout: Double) { get }
}
