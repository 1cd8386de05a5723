import Glibc
import PilotSystem
import PilotModel

/// How a coordination session is set up. Built from the C/Python options
/// JSON; `PILOT_COORDINATION_URL` overrides the URL a script hard-codes.
public struct SessionOptions: Sendable {
    /// Where the session directory (socket, logs) goes; default
    /// `$TMPDIR/pilot-<uid>/<session id>`.
    public var sessionDirectory: String?
    /// A standalone coordinator to use instead of an embedded one.
    public var coordinationURL: CoordinationURL?
    /// Seconds between heartbeats on idle links.
    public var heartbeatInterval: Double = 1
    /// Seconds of silence after which an agent counts as lost.
    public var heartbeatTimeout: Double = 5
    /// Whether the coordinator keeps a journal in the session directory and
    /// resumes from one it finds there (what `pilotctl serve` does). An
    /// embedded session has nothing to resume: its agents end with it.
    public var journal = false
    /// Seconds agents keep running and try to link again after losing the
    /// coordinator, and a restarted coordinator waits for them (0: agents
    /// stop with their link).
    public var reconnectGrace: Double = 0
    /// Where agents on other hosts reach the coordinator, `HOST:PORT`
    /// (default `0.0.0.0:0`: every address, a free port); the listener
    /// starts with the first pilot whose agent may run on another host.
    public var listen: String?
    /// Whether every agent links over the network, also those on this
    /// host (fork pilots); by default only agents that may run elsewhere
    /// (batch and ssh pilots) do. For benchmarks and tests of the link.
    public var allAgentsOverNetwork = false

    /// The default options: embedded coordinator, default timings.
    public init() {}

    /// Reads `{"coordination_url": ..., "session_directory": ...,
    /// "heartbeat_interval": s, "heartbeat_timeout": s, "listen": "HOST:PORT",
    /// "agent_link": "auto" | "network"}`;
    /// every key optional.
    public init(json: JSONValue?) throws(PilotError) {
        guard let json, json != .null else { return }
        guard case .object(let fields) = json else {
            throw PilotError(.invalidArgument, "session options must be a JSON object, got \(json.typeName)")
        }
        let known: Set = ["coordination_url", "session_directory", "heartbeat_interval", "heartbeat_timeout", "listen", "agent_link"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw PilotError(.invalidArgument, "session option \(quoted(unknown)) is unknown; known options: \(known.sorted().joined(separator: ", "))")
        }
        let override = Environment.value("PILOT_COORDINATION_URL")
        let url = override ?? fields["coordination_url"]?.scalarText
        coordinationURL = try Self.coordination(url, fromEnvironment: override != nil)
        if let directory = fields["session_directory"], directory != .null {
            guard case .string(let path) = directory, path.hasPrefix("/") else {
                throw PilotError(.invalidArgument, "session option 'session_directory' must be an absolute path")
            }
            sessionDirectory = path
        }
        if let listen = fields["listen"], listen != .null {
            guard case .string(let text) = listen else {
                throw PilotError(.invalidArgument, "session option 'listen' must be a text HOST:PORT, such as \"0.0.0.0:7100\"")
            }
            self.listen = text
        }
        switch fields["agent_link"] {
        case nil, .null, .string("auto"): break
        case .string("network"): allAgentsOverNetwork = true
        default: throw PilotError(.invalidArgument, "session option 'agent_link' must be \"auto\" (the network for agents on other hosts) or \"network\" (for every agent)")
        }
        heartbeatInterval = try Self.seconds(fields["heartbeat_interval"], "heartbeat_interval") ?? heartbeatInterval
        heartbeatTimeout = try Self.seconds(fields["heartbeat_timeout"], "heartbeat_timeout") ?? heartbeatTimeout
        guard heartbeatTimeout > heartbeatInterval else {
            throw PilotError(.invalidArgument, "session option 'heartbeat_timeout' (\(heartbeatTimeout) s) must exceed 'heartbeat_interval' (\(heartbeatInterval) s)")
        }
    }

    private static func seconds(_ value: JSONValue?, _ key: String) throws(PilotError) -> Double? {
        guard let value, value != .null else { return nil }
        let number: Double?
        switch value {
        case .int(let raw): number = Double(raw)
        case .double(let raw): number = raw
        default: number = nil
        }
        guard let number, number.isFinite, number >= 0.05, number <= 3600 else {
            throw PilotError(.invalidArgument, "session option \(quoted(key)) must be a number of seconds from 0.05 to 3600")
        }
        return number
    }

    private static func coordination(_ url: String?, fromEnvironment: Bool) throws(PilotError) -> CoordinationURL? {
        guard let url, !url.isEmpty, url != "embedded" else { return nil }
        let origin = fromEnvironment ? "PILOT_COORDINATION_URL" : "coordination_url"
        if url.hasPrefix(CoordinationURL.prefix) || url.hasPrefix(CoordinationURL.networkPrefix) {
            do {
                return try CoordinationURL(url)
            } catch {
                throw PilotError(.invalidArgument, "\(origin): \(error.message)")
            }
        }
        if url.hasPrefix("redis://") {
            throw PilotError(.unsupported, "\(origin) \(quoted(url)): Redis coordination is not available in this build; pass no coordination URL (or set PILOT_COORDINATION_URL=embedded) to use the embedded coordinator")
        }
        throw PilotError(.invalidArgument, "\(origin) \(quoted(url)) is not a coordination URL this build knows; use 'embedded' (the default) or the \(CoordinationURL.prefix) or \(CoordinationURL.networkPrefix) URL that `pilotctl serve` prints")
    }
}
