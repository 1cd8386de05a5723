/// Where a pilot runs, parsed from its `service_url`.
package struct ServiceURL: Sendable, Equatable {
    /// The resource manager schemes the contract names.
    package enum Scheme: String, Sendable, CaseIterable {
        case fork, ssh, slurm, pbs, sge
        case slurmSSH = "slurm+ssh"
        case pbsSSH = "pbs+ssh"
        case sgeSSH = "sge+ssh"
    }

    /// The resource manager.
    package let scheme: Scheme
    /// The user part, if any (`user@`).
    package let user: String?
    /// The host (`localhost` when omitted).
    package let host: String
    /// The port, if any.
    package let port: Int?
    /// The URL as given.
    package let text: String

    /// The schemes listed for error messages.
    package static var supportedList: String {
        Scheme.allCases.map { "\($0.rawValue)://" }.joined(separator: ", ")
    }

    /// Parses `text` as `scheme://[user@]host[:port][/path]`.
    package init(_ text: String) throws(PilotError) {
        self.text = text
        guard let separator = text.firstRange(of: "://") else {
            throw PilotError(.invalidArgument, "service_url \(quoted(text)) is not a URL; use one of \(Self.supportedList), e.g. fork://localhost")
        }
        let schemeText = text[..<separator.lowerBound].lowercased()
        guard let scheme = Scheme(rawValue: schemeText) else {
            throw PilotError(.invalidArgument, "service_url \(quoted(text)) has the unknown scheme \(quoted(schemeText)); supported: \(Self.supportedList)")
        }
        self.scheme = scheme
        var authority = text[separator.upperBound...]
        if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
        if let at = authority.lastIndex(of: "@") {
            user = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        } else {
            user = nil
        }
        if let colon = authority.lastIndex(of: ":") {
            let portText = authority[authority.index(after: colon)...]
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw PilotError(.invalidArgument, "service_url \(quoted(text)) has the invalid port \(quoted(portText)); use a number from 1 to 65535")
            }
            self.port = port
            authority = authority[..<colon]
        } else {
            port = nil
        }
        // A DNS name has at most 253 bytes, a user name (useradd) 32.
        guard authority.utf8.count <= 253, (user?.utf8.count ?? 0) <= 32 else {
            throw PilotError(.invalidArgument, "service_url \(quoted(text)) names a host longer than 253 bytes or a user longer than 32; use a real host name")
        }
        host = authority.isEmpty ? "localhost" : String(authority)
    }
}
