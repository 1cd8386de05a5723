import ArgumentParser
import Glibc
import Pilot
import PilotCoordinator
import PilotModel
import PilotRemote
import PilotSystem

/// `pilotctl serve`: a standalone coordinator that holds one session for
/// several processes of the same user, until SIGTERM or SIGINT.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Hold a coordination session for other processes of this user.",
        discussion: """
            Prints the coordination URL on the first line of standard output; pass it as \
            coordination_url, or set PILOT_COORDINATION_URL to it, in the processes that use the session. \
            Every pilot, unit and state change is journaled in the session directory; started again on \
            the same --session-directory (after a crash or kill -9), it replays the journal and the \
            agents link again. SIGTERM or SIGINT cancels every pilot and stops.
            """)

    @Option(help: "The session directory (default: a new one under $TMPDIR/pilot-<uid>).")
    var sessionDirectory: String?

    @Option(help: "Seconds between heartbeats on idle agent links.")
    var heartbeatInterval = 1.0

    @Option(help: "Seconds of agent silence before its pilot counts as lost.")
    var heartbeatTimeout = 5.0

    @Option(help: ArgumentHelp(
        "Also serve clients on other hosts at this TCP address (HOST:PORT; 0.0.0.0:7100 for every address of this host). The URL printed is then pilot+tcp://..., and ~/.pilot/credentials/<session id> (mode 0600) holds what those clients must prove.",
        valueName: "host:port"))
    var listen: String?

    @Option(help: "Seconds agents keep their units and try to link again when this coordinator is gone (it can be restarted on the same session directory within that time).")
    var agentGrace = 60.0

    func validate() throws {
        if let sessionDirectory, !sessionDirectory.hasPrefix("/") {
            throw ValidationError("--session-directory must be an absolute path")
        }
        guard heartbeatInterval > 0, heartbeatTimeout > heartbeatInterval else {
            throw ValidationError("--heartbeat-timeout must exceed --heartbeat-interval, and both be positive")
        }
        if let listen {
            do {
                _ = try NetworkAddress(listen, what: "--listen")
            } catch {
                throw ValidationError(error.message)
            }
        }
        guard agentGrace >= 0, agentGrace <= 86_400 else {
            throw ValidationError("--agent-grace must be from 0 to 86400 seconds")
        }
    }

    func run() throws {
        // Blocked before any thread starts, so every thread inherits the
        // mask and the signals wait for sigwait below.
        var stopping = sigset_t()
        sigemptyset(&stopping)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stopping, signal) }
        pthread_sigmask(SIG_BLOCK, &stopping, nil)

        var options = SessionOptions()
        options.sessionDirectory = sessionDirectory
        options.heartbeatInterval = heartbeatInterval
        options.heartbeatTimeout = heartbeatTimeout
        options.journal = true
        options.reconnectGrace = agentGrace
        options.listen = listen
        let coordinator = try Coordinator(options: options)
        let server = try CoordinationServer(coordinator: coordinator, network: listen != nil)
        StandardStreams.output(server.url.text + "\n")

        var received: Int32 = 0
        sigwait(&stopping, &received)
        server.shutdown()
        coordinator.close()
    }
}
