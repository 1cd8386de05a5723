import PilotLink
import PilotModel

/// Where an agent looks for its coordinator, in order: over the network
/// when the bootstrap names addresses (first the address an ssh connection
/// came from, which is surely routable from here), then through the login
/// host of a `+ssh` pilot (`AgentRelay`), then the socket.
enum CoordinatorTargets {
    /// The targets for `bootstrap`; `sshConnection` is `$SSH_CONNECTION`
    /// ("client-ip client-port server-ip server-port") when ssh started us.
    static func of(_ bootstrap: AgentBootstrap, sshConnection: String?) throws(PilotError) -> [LinkTarget] {
        var targets: [LinkTarget] = []
        let texts = bootstrap.networkAddresses ?? []
        if !texts.isEmpty {
            guard let hex = bootstrap.linkKey, let key = LinkKey(hex: hex, role: .agent) else {
                throw PilotError(.invalidArgument, "the bootstrap names network addresses but no valid link key")
            }
            var addresses: [NetworkAddress] = []
            for text in texts { addresses.append(try NetworkAddress(text, what: "the bootstrap's coordinator address")) }
            if let client = sshConnection?.split(separator: " ").first, let port = addresses.first?.port {
                addresses.insert(NetworkAddress(host: String(client), port: port), at: 0)
            }
            var seen = Set<String>()
            targets = addresses.filter { seen.insert($0.text).inserted }.map { .network($0, key: key) }
            if let relay = bootstrap.relay {
                let port = relay.sshPort.map { ["-p", String($0)] } ?? []
                targets.append(.relay(["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"] + port
                                      + [relay.login, "-W", "127.0.0.1:\(relay.port)"], key: key))
            }
        }
        if !bootstrap.socketPath.isEmpty { targets.append(.socket(bootstrap.socketPath)) }
        return targets
    }
}
