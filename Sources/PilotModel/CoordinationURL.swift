/// Where a standalone coordinator (`pilotctl serve`) listens:
/// `pilot+unix://<absolute path of its socket>`. The socket sits in the
/// session directory beside the session secret. URLs of objects in a served
/// session are this URL, a slash, then a path without slashes (BigJob's
/// `bigjob:bj-<uuid>:<host>` shape).
public struct CoordinationURL: Sendable, Equatable {
    /// The scheme, with its separator.
    public static let prefix = "pilot+unix://"
    /// The socket's file name inside the session directory.
    public static let socketName = "coordinator.sock"
    /// The session secret's file name inside the session directory.
    public static let secretName = "secret"

    /// The socket's absolute path.
    public let socketPath: String

    /// The URL of the coordinator serving `sessionDirectory`.
    public init(sessionDirectory: String) {
        socketPath = sessionDirectory + "/" + Self.socketName
    }

    /// Parses a coordination URL, or an object URL that starts with one.
    public init(_ text: String) throws(PilotError) {
        guard text.hasPrefix(Self.prefix) else {
            throw PilotError(.invalidArgument, "\(quoted(text)) is not a \(Self.prefix) coordination URL; use the URL `pilotctl serve` printed")
        }
        var path = String(text.dropFirst(Self.prefix.count))
        if !path.hasSuffix("/" + Self.socketName), let marker = path.ranges(of: "/" + Self.socketName + "/").last {
            path = String(path[..<marker.lowerBound]) + "/" + Self.socketName
        }
        guard path.hasPrefix("/"), path.hasSuffix("/" + Self.socketName), !path.contains("/../") else {
            throw PilotError(.invalidArgument, "coordination URL \(quoted(text)) must name an absolute path ending in /\(Self.socketName), as `pilotctl serve` prints it")
        }
        socketPath = path
    }

    /// The session directory: where the socket and the secret are.
    public var sessionDirectory: String {
        String(socketPath.dropLast(Self.socketName.count + 1))
    }

    /// The session secret's path.
    public var secretPath: String { sessionDirectory + "/" + Self.secretName }

    /// The URL as text.
    public var text: String { Self.prefix + socketPath }
}
