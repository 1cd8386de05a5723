/// A TCP address, `host:port` (an IPv6 host in brackets: `[::1]:7000`).
package struct NetworkAddress: Sendable, Equatable, Codable {
    /// A name or an IP address.
    package var host: String
    /// 0 to 65535 (0 when listening: any free port).
    package var port: Int

    /// An address from its parts.
    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; `what` names the text in the error.
    package init(_ text: String, what: String) throws(PilotError) {
        let problem = PilotError(.invalidArgument, "\(what) \(quoted(text)) is not HOST:PORT (a host name or address, a colon, a port from 0 to 65535; an IPv6 address in brackets)")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw problem
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw problem
        }
        guard !host.isEmpty, !host.contains(where: { " /[]@?#".contains($0) }) else { throw problem }
        self.host = host
        self.port = port
    }

    /// `host:port`, brackets around an IPv6 host.
    package var text: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
