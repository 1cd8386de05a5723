/// What an agent reads at start: sent out of band (a 0600 file it deletes
/// after reading), never on the command line.
package struct AgentBootstrap: Sendable, Equatable, Codable {
    /// The pilot the agent serves.
    package var pilotID: String
    /// The per-pilot secret for the hello.
    package var token: String
    /// The coordinator's Unix socket.
    package var socketPath: String
    /// The pilot sandbox (`<working_directory>/bj-<uuid>`).
    package var sandbox: String
    /// Slots the agent owns.
    package var slots: Int
    /// Seconds between heartbeats when the link is otherwise idle.
    package var heartbeatInterval: Double
    /// Seconds of silence after which the other end counts as gone.
    package var heartbeatTimeout: Double
    /// Seconds the agent keeps its units and tries to link again after
    /// losing the coordinator (0: it stops at once, as an embedded
    /// coordinator's agents must: nothing can restart it).
    package var reconnectGrace: Double
    /// How units reach the nodes of the allocation (nil: `auto`).
    package var launchMethod: LaunchMethod?
    /// The coordinator's network addresses (`host:port`), tried in order
    /// before the socket; nil when the agent runs on the coordinator's host.
    package var networkAddresses: [String]?
    /// The session's agent key (hex) that a network link proves.
    package var linkKey: String?
    /// A way to the coordinator through the login host of a `+ssh` pilot,
    /// for nodes that cannot reach its addresses; nil when there is none.
    package var relay: AgentRelay?
    /// Why a `+ssh` pilot has no relay, for the agent's message when no
    /// address answers.
    package var relayProblem: String?

    /// Creates the bootstrap record.
    package init(pilotID: String, token: String, socketPath: String, sandbox: String, slots: Int,
                heartbeatInterval: Double, heartbeatTimeout: Double, reconnectGrace: Double) {
        self.pilotID = pilotID
        self.token = token
        self.socketPath = socketPath
        self.sandbox = sandbox
        self.slots = slots
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.reconnectGrace = reconnectGrace
    }
}
