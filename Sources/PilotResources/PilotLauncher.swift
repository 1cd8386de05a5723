import PilotModel
import PilotSystem

/// What the coordinator asks of a resource manager to start a pilot: run
/// `pilot-agent` with this bootstrap where the description says.
public struct AgentLaunch: Sendable {
    /// The pilot's id (`bj-<uuid>`).
    public var pilotID: String
    /// The validated pilot description.
    public var description: PilotDescription
    /// What the agent must be told (written to a 0600 file, never argv).
    public var bootstrap: AgentBootstrap
    /// Path of the `pilot-agent` executable.
    public var agentExecutable: String

    /// Creates a launch request.
    public init(pilotID: String, description: PilotDescription, bootstrap: AgentBootstrap, agentExecutable: String) {
        self.pilotID = pilotID
        self.description = description
        self.bootstrap = bootstrap
        self.agentExecutable = agentExecutable
    }
}

extension AgentLaunch {
    /// Creates the pilot sandbox on this host and writes the agent's
    /// bootstrap there (0600); returns the bootstrap file's path.
    func writeBootstrap(resource: String) throws(PilotError) -> String {
        let sandbox = bootstrap.sandbox
        if let problem = FileSystem.makeDirectories(sandbox) {
            throw PilotError(.invalidArgument, "pilot compute description key 'working_directory': \(problem); choose a directory you can write")
        }
        let path = sandbox + "/agent-bootstrap.json"
        if let problem = FileSystem.write(JSONText.render(bootstrap), to: path, mode: 0o600) {
            throw PilotError(.backend, "\(resource): \(problem)")
        }
        return path
    }
}

/// How a pilot's job ended, as the resource manager reports it.
public struct JobEnd: Sendable, Equatable {
    /// A sentence naming the resource manager and what happened.
    public var reason: String
    /// True when the job ended normally (exit status 0).
    public var succeeded: Bool

    /// Creates the record.
    public init(reason: String, succeeded: Bool) {
        self.reason = reason
        self.succeeded = succeeded
    }
}

/// Who hears about a pilot's job while it lives: its native state (the
/// batch system's own word, such as `PENDING`) whenever that changes, and
/// its end, once.
public struct JobObserver: Sendable {
    /// Called with the resource manager's state each time it changes.
    public var nativeState: @Sendable (String) -> Void
    /// Called once when the job is over.
    public var ended: @Sendable (JobEnd) -> Void

    /// Creates an observer.
    public init(nativeState: @escaping @Sendable (String) -> Void, ended: @escaping @Sendable (JobEnd) -> Void) {
        self.nativeState = nativeState
        self.ended = ended
    }
}

/// A started pilot job.
public protocol LaunchedPilot: Sendable {
    /// The resource manager's own id for the job (a pid for fork).
    var nativeID: String { get }
    /// Ends the job and everything in it now, without asking the agent.
    func terminate()
    /// Kills what is left of units whose agent is gone (their process groups),
    /// where the resource manager can reach them.
    func killOrphanedUnits(processGroups: [Int32])
    /// Whether the job's end is reported with the resource manager's own
    /// reason soon after the agent's link goes (batch jobs), so the
    /// coordinator waits a moment for it before calling the agent lost.
    var reportsEnd: Bool { get }
    /// Whether the agent of a job taken over from an earlier coordinator
    /// (`reattach`) is known to have exited; false when unknown or running.
    var agentHasExited: Bool { get }
}

extension LaunchedPilot {
    /// Jobs report their end only as the agent's exit, by default.
    public var reportsEnd: Bool { false }
    /// Unknown by default: the agent links again or its grace runs out.
    public var agentHasExited: Bool { false }
}

/// Starts pilots on one kind of resource manager.
public protocol PilotLauncher: Sendable {
    /// Checks what can be checked before the pilot is registered (for
    /// example, that the working directory can be created).
    func prepare(_ description: PilotDescription) throws(PilotError)
    /// Starts the agent and reports what becomes of its job to `observer`.
    func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot
    /// The job of pilot `pilotID`, started by a coordinator that has since
    /// been restarted, from the `nativeID` it recorded; nil if it cannot be
    /// taken over. Its end is not observed (its agent's link is).
    func reattach(nativeID: String, pilotID: String) -> LaunchedPilot?
}

/// The launcher for a service URL, or an error naming what is supported.
public enum Launchers {
    /// Makes the launcher for one URL of its scheme (or says what is wrong with the URL).
    private typealias Starter = (ServiceURL) throws(PilotError) -> any PilotLauncher

    /// The schemes pilots can use (those `launcher(for:)` has a launcher
    /// for), in `ServiceURL.Scheme` order.
    public static var pilotSchemes: [ServiceURL.Scheme] {
        ServiceURL.Scheme.allCases.filter { starter(for: $0) != nil }
    }

    /// Picks the launcher for `url`'s scheme.
    public static func launcher(for url: ServiceURL) throws(PilotError) -> PilotLauncher {
        guard let start = starter(for: url.scheme) else {
            throw PilotError(.unsupported, "service_url \(quoted(url.text)): pilots cannot use \(url.scheme.rawValue)://: an agent on a compute node cannot reach this coordinator's socket through the login host; run the coordinator on the login host (pilotctl serve) and use \(url.scheme.rawValue.prefix { $0 != "+" })://localhost there. The job API (pilot.job) takes \(url.scheme.rawValue):// URLs")
        }
        return try start(url)
    }

    /// How pilots start on `scheme`'s resource manager; nil for the schemes
    /// that reach a cluster through a login host, where pilots cannot run.
    private static func starter(for scheme: ServiceURL.Scheme) -> Starter? {
        switch scheme {
        case .fork:
            { url throws(PilotError) in
                guard isLocal(url) else {
                    throw PilotError(.invalidArgument, "service_url \(quoted(url.text)): fork:// runs on this machine only; use fork://localhost, or ssh://\(url.host) for another host")
                }
                return ForkLauncher()
            }
        case .slurm:
            { url throws(PilotError) in
                try requireLocalPilot(url)
                return BatchLauncher(service: SlurmJobService(url: url))
            }
        case .sge:
            { url throws(PilotError) in
                try requireLocalPilot(url)
                return BatchLauncher(service: SgeJobService(url: url))
            }
        case .ssh:
            { url in SshLauncher(url: url) }
        case .pbs:
            { url throws(PilotError) in
                try requireLocalPilot(url)
                return BatchLauncher(service: PbsJobService(url: url))
            }
        case .slurmSSH, .pbsSSH, .sgeSSH:
            nil
        }
    }

    static func isLocal(_ url: ServiceURL) -> Bool {
        ["localhost", "127.0.0.1", "::1", "[::1]"].contains(url.host)
    }

    /// Batch commands run on this machine; a login host needs the `+ssh` scheme.
    static func requireLocal(_ url: ServiceURL, remote: String) throws(PilotError) {
        guard isLocal(url) else {
            throw PilotError(.unsupported, "service_url \(quoted(url.text)): \(url.scheme.rawValue):// submits on this machine; for a login host use \(remote)://\(url.host)")
        }
    }

    /// A batch pilot's agent links back to this machine's socket, so its job
    /// must be submitted here.
    private static func requireLocalPilot(_ url: ServiceURL) throws(PilotError) {
        guard isLocal(url) else {
            throw PilotError(.unsupported, "service_url \(quoted(url.text)): \(url.scheme.rawValue):// pilots submit on this machine (the agent links back to this coordinator's socket); use \(url.scheme.rawValue)://localhost on the cluster's login host")
        }
    }
}
