/// A place files are staged from or to, parsed from a staging directive's
/// end or a pilot data's URL.
package enum DataLocation: Sendable, Equatable {
    /// An absolute path on the host that reads the location (`/path` or `file:///path`).
    case local(path: String)
    /// A path on another host, reached with the user's ssh (`ssh://[user@]host[:port]/path`).
    case remote(RemoteHost, path: String)
    /// A path inside the unit's working directory (no `..`).
    case sandbox(relative: String)

    /// The schemes a location may have, for error messages.
    package static let schemes = "file:///absolute/path or ssh://[user@]host[:port]/absolute/path"

    /// Parses `text`; `allowsSandbox` says whether a relative path is
    /// accepted (it names a place in the unit's working directory). `what`
    /// names the text in errors.
    package init(_ text: String, allowsSandbox: Bool, what: String) throws(PilotError) {
        guard !text.isEmpty, !text.contains("\0"), text.utf8.count < DescriptionReader.longestPath else {
            throw PilotError(.invalidArgument, "\(what) \(quoted(text)) is not a path: it must be non-empty, shorter than \(DescriptionReader.longestPath) bytes and hold no NUL")
        }
        if let separator = text.firstRange(of: "://") {
            let scheme = text[..<separator.lowerBound].lowercased()
            let rest = text[separator.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = String(rest[..<slash])
            let path = String(rest[slash...])
            guard path.hasPrefix("/"), path.count > 1 else {
                throw PilotError(.invalidArgument, "\(what) \(quoted(text)) names no absolute path after the host; write \(Self.schemes)")
            }
            switch scheme {
            case "file":
                guard authority.isEmpty || authority == "localhost" else {
                    throw PilotError(.invalidArgument, "\(what) \(quoted(text)) names the host \(quoted(authority)) in a file:// URL; use ssh://\(authority)\(path) for another host")
                }
                self = .local(path: path)
            case "ssh", "sftp", "scp":
                self = .remote(try RemoteHost(authority: authority, in: text, what: what), path: path)
            default:
                throw PilotError(.invalidArgument, "\(what) \(quoted(text)) has the unsupported scheme \(quoted(scheme)); write \(Self.schemes)")
            }
        } else if text.hasPrefix("/") {
            self = .local(path: text)
        } else if allowsSandbox {
            guard !text.split(separator: "/").contains("..") else {
                throw PilotError(.invalidArgument, "\(what) \(quoted(text)) leaves the unit's working directory: a relative path may not contain '..'")
            }
            self = .sandbox(relative: text)
        } else {
            throw PilotError(.invalidArgument, "\(what) \(quoted(text)) is relative; this end must be absolute (the coordinator may run in another directory or on another host): write /absolute/path, \(Self.schemes)")
        }
    }

    /// The path part.
    package var path: String {
        switch self {
        case .local(let path), .remote(_, let path): path
        case .sandbox(let relative): relative
        }
    }

    /// Whether `name` (a path's last component) holds a glob character.
    package static func isGlob(_ name: some StringProtocol) -> Bool {
        name.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
    }
}

/// A host reached over ssh: `[user@]host[:port]`.
package struct RemoteHost: Sendable, Hashable, CustomStringConvertible {
    /// The user to log in as, if named.
    package var user: String?
    /// The host name or address.
    package var host: String
    /// The port, if not ssh's default.
    package var port: Int?

    /// Parses the authority part of a URL (`text` and `what` are for errors).
    package init(authority: String, in text: String, what: String) throws(PilotError) {
        var rest = Substring(authority)
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        if let colon = rest.lastIndex(of: ":") {
            let portText = rest[rest.index(after: colon)...]
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw PilotError(.invalidArgument, "\(what) \(quoted(text)) has the invalid port \(quoted(portText)); use a number from 1 to 65535")
            }
            port = number
            rest = rest[..<colon]
        }
        // A leading '-' would read as an ssh option; blanks and quotes are no host's.
        let forbidden: (Character) -> Bool = { $0.isWhitespace || $0 == "'" || $0 == "\"" }
        guard !rest.isEmpty, !rest.hasPrefix("-"), !rest.contains(where: forbidden), rest.utf8.count <= 253,
              !(user ?? "").hasPrefix("-"), (user?.utf8.count ?? 0) <= 32 else {
            throw PilotError(.invalidArgument, "\(what) \(quoted(text)) names no usable host; write \(DataLocation.schemes)")
        }
        host = String(rest)
    }

    /// `user@host`, or the host alone: ssh's destination.
    package var destination: String { user.map { "\($0)@\(host)" } ?? host }

    package var description: String { destination + (port.map { ":\($0)" } ?? "") }
}
