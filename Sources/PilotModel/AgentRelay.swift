/// The coordinator as a `+ssh` pilot's agent reaches it through the login
/// host: the coordinator's ssh connection to that host forwards `port` on
/// the host's loopback back to the coordinator (`ssh -R`), and the agent
/// opens `ssh <login> -W 127.0.0.1:<port>` and speaks the encrypted link
/// over that ssh's stdin and stdout. It needs no port open towards the
/// coordinator and no `GatewayPorts`: only ssh from the node to the login
/// host, which a cluster's shared home usually allows.
package struct AgentRelay: Sendable, Equatable, Codable {
    /// `[user@]host` of the login host, as the coordinator reached it.
    package var login: String
    /// The ssh port the coordinator used, if not 22.
    package var sshPort: Int?
    /// The forwarded port on the login host's loopback.
    package var port: Int

    /// Creates a relay description.
    package init(login: String, sshPort: Int?, port: Int) {
        self.login = login
        self.sshPort = sshPort
        self.port = port
    }
}
