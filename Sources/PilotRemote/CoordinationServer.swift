import NIOPosix
import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem

/// Serves a coordinator to other processes of the same user (`pilotctl
/// serve`): a Unix socket in the session directory (0700 directory, 0600
/// socket) plus the session secret in a 0600 file beside it, which every
/// client must present; with `network`, also on the coordinator's network
/// address for clients on other hosts, whose URL is then the one given out
/// and who prove the session's key from the credentials file (`Credentials`).
package final class CoordinationServer: Sendable {
    /// The URL clients connect with.
    package let url: CoordinationURL
    /// The credentials file clients on other hosts need; nil without `network`.
    package let credentialsPath: String?
    private let listener: LinkListener
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// Closed before the loop stops: writes from other threads end there.
    private let gate = WriteGate()

    /// Starts serving `coordinator`. An existing secret file (a restarted
    /// session) is kept, so clients that read it stay valid.
    package init(coordinator: Coordinator, network: Bool = false) throws(PilotError) {
        let socketURL = CoordinationURL(sessionDirectory: coordinator.sessionDirectory)
        try coordinator.publishSecret()
        let gate = gate
        let service = LinkService(reading: ClientRequest.self, writing: ServerMessage.self) {
            ServerLinkHandler(coordinator: coordinator, secret: coordinator.sessionSecret, gate: gate)
        }
        if network {
            coordinator.admitNetworkClients(service)
            let address = try Self.firstAddress(of: coordinator)
            url = CoordinationURL(host: address.host, port: address.port, sessionID: coordinator.sessionID)
            credentialsPath = try Credentials.write(secret: coordinator.sessionSecret, sessionID: coordinator.sessionID)
        } else {
            url = socketURL
            credentialsPath = nil
        }
        do {
            listener = try LinkListener(.socket(socketURL.socketPath, service), on: group, for: "clients")
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// The coordinator's network address clients are given.
    private static func firstAddress(of coordinator: Coordinator) throws(PilotError) -> NetworkAddress {
        guard let first = try coordinator.agentNetworkAddresses().first else {
            throw PilotError(.backend, "the coordinator has no network address to give clients")
        }
        return try NetworkAddress(first, what: "the coordinator's address")
    }

    /// Stops listening; client links close. Idempotent.
    package func shutdown() {
        listener.shutdown()
        gate.close()
        try? group.syncShutdownGracefully()
    }
}
