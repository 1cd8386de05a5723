/// Where a standalone coordinator (`pilotctl serve`) is reached:
/// `pilot+unix://<absolute path of its socket>` on its own host (the
/// socket sits in the session directory beside the session secret), or
/// `pilot+tcp://HOST:PORT/<session id>` from any host (`pilotctl serve
/// --listen`; the client proves the session's key from its credentials
/// file). URLs of objects in a served session are this URL, a slash, then
/// a path without slashes (BigJob's `bigjob:bj-<uuid>:<host>` shape).
public struct CoordinationURL: Sendable, Equatable {
    /// The scheme of a socket URL, with its separator.
    public static let prefix = "pilot+unix://"
    /// The scheme of a network URL, with its separator.
    public static let networkPrefix = "pilot+tcp://"
    /// The socket's file name inside the session directory.
    public static let socketName = "coordinator.sock"
    /// The session secret's file name inside the session directory.
    public static let secretName = "secret"

    /// Where a network URL's coordinator listens, and its session.
    public struct Network: Sendable, Equatable {
        /// A host name or IP address.
        public let host: String
        /// The TCP port.
        public let port: Int
        /// The session's id (`ps-<uuid>`): names the credentials file.
        public let sessionID: String
    }

    /// The socket's absolute path; empty for a network URL.
    public let socketPath: String
    /// Set for a `pilot+tcp://` URL.
    public let network: Network?

    /// The socket URL of the coordinator serving `sessionDirectory`.
    public init(sessionDirectory: String) {
        socketPath = sessionDirectory + "/" + Self.socketName
        network = nil
    }

    /// The network URL of a coordinator listening at `host`:`port` for session `sessionID`.
    public init(host: String, port: Int, sessionID: String) {
        socketPath = ""
        network = Network(host: host, port: port, sessionID: sessionID)
    }

    /// Parses a coordination URL, or an object URL that starts with one.
    public init(_ text: String) throws(PilotError) {
        if text.hasPrefix(Self.networkPrefix) {
            self = try Self.parseNetwork(text)
            return
        }
        guard text.hasPrefix(Self.prefix) else {
            throw PilotError(.invalidArgument, "\(quoted(text)) is not a \(Self.prefix) or \(Self.networkPrefix) coordination URL; use the URL `pilotctl serve` printed")
        }
        var path = String(text.dropFirst(Self.prefix.count))
        if !path.hasSuffix("/" + Self.socketName), let marker = path.ranges(of: "/" + Self.socketName + "/").last {
            path = String(path[..<marker.lowerBound]) + "/" + Self.socketName
        }
        guard path.hasPrefix("/"), path.hasSuffix("/" + Self.socketName), !path.contains("/../") else {
            throw PilotError(.invalidArgument, "coordination URL \(quoted(text)) must name an absolute path ending in /\(Self.socketName), as `pilotctl serve` prints it")
        }
        socketPath = path
        network = nil
    }

    private static func parseNetwork(_ text: String) throws(PilotError) -> CoordinationURL {
        let parts = text.dropFirst(networkPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        let shape = "coordination URL \(quoted(text)) must be \(networkPrefix)HOST:PORT/ps-<uuid>, as `pilotctl serve --listen` prints it"
        guard parts.count >= 2 else { throw PilotError(.invalidArgument, shape) }
        let address: NetworkAddress
        do {
            address = try NetworkAddress(String(parts[0]), what: "the coordination URL's address")
        } catch {
            throw PilotError(.invalidArgument, shape)
        }
        let session = String(parts[1])
        guard address.port > 0, session.hasPrefix("ps-"), session.count <= 64,
              session.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw PilotError(.invalidArgument, shape)
        }
        return CoordinationURL(host: address.host, port: address.port, sessionID: session)
    }

    /// The session directory, where the socket and the secret are; nil for a network URL.
    public var sessionDirectory: String? {
        network == nil ? String(socketPath.dropLast(Self.socketName.count + 1)) : nil
    }

    /// The URL as text.
    public var text: String {
        guard let network else { return Self.prefix + socketPath }
        return Self.networkPrefix + NetworkAddress(host: network.host, port: network.port).text + "/" + network.sessionID
    }
}
