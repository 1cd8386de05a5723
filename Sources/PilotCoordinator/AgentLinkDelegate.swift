import PilotLink
import PilotModel

/// What the coordinator does with what agents say. Called on the link's
/// event loop; implementations take their own lock.
protocol AgentLinkDelegate: Sendable {
    /// A new link opened (before its handshake); returns its id.
    func opened(_ link: any AgentLink) -> LinkID
    /// The secret of the pilot a hello names, or why the hello is refused.
    func secret(for hello: AgentHello) -> Result<String, LinkRefusal>
    /// Admits an agent that proved it knows its pilot's secret; `.welcome`
    /// links it to its pilot.
    func admit(_ hello: AgentHello, on link: LinkID) -> CoordinatorMessage
    /// Runs `work` once every change made so far is recorded (at once
    /// without a journal).
    func whenRecorded(_ work: @escaping @Sendable () -> Void)
    /// A peer was refused (logged; the coordinator carries on).
    func refused(_ reason: String)
    /// Applies a message from the agent of `pilotID`.
    func received(_ message: AgentMessage, from pilotID: String)
    /// Link `link` closed; `pilotID` is its pilot once the agent was admitted.
    func closed(_ link: LinkID, of pilotID: String?, reason: String)
    /// Seconds between heartbeats, and of silence before a link counts as dead.
    var heartbeat: (interval: Double, timeout: Double) { get }
    /// Whether agents keep finished records until acknowledged (they may
    /// link again after a restart); otherwise no acknowledgement is sent.
    var acknowledges: Bool { get }
}

/// Why an agent link was refused.
struct LinkRefusal: Error {
    /// A sentence for the agent and the log.
    let reason: String
}
