import PilotModel
import PilotSystem

/// What the coordinator asks of a resource manager to start a pilot: run
/// `pilot-agent` with this bootstrap where the description says.
package struct AgentLaunch: Sendable {
    /// The pilot's id (`bj-<uuid>`).
    package var pilotID: String
    /// The validated pilot description.
    package var description: PilotDescription
    /// What the agent must be told (written to a 0600 file, never argv).
    package var bootstrap: AgentBootstrap
    /// Path of the `pilot-agent` executable.
    package var agentExecutable: String

    /// Creates a launch request.
    package init(pilotID: String, description: PilotDescription, bootstrap: AgentBootstrap, agentExecutable: String) {
        self.pilotID = pilotID
        self.description = description
        self.bootstrap = bootstrap
        self.agentExecutable = agentExecutable
    }
}

extension AgentLaunch {
    /// The agent's bootstrap file, in the pilot sandbox where the agent runs.
    var bootstrapPath: String { bootstrap.sandbox + "/agent-bootstrap.json" }

    /// The agent's `stdout` or `stderr` log, kept in the pilot's working directory on this side.
    func logPath(_ stream: String) -> String {
        Self.logPath(stream, pilotID: pilotID, workingDirectory: description.workingDirectory)
    }

    /// The `stdout` or `stderr` log of pilot `pilotID`'s agent, in the
    /// pilot's `workingDirectory` on the coordinator's side.
    package static func logPath(_ stream: String, pilotID: String, workingDirectory: String) -> String {
        workingDirectory + "/\(stream)-\(pilotID)-agent.txt"
    }

    /// Creates the pilot sandbox on this host and writes the agent's
    /// bootstrap there (0600).
    func writeBootstrap(resource: String) throws(PilotError) {
        try SharedFileSystemPlacement.makeWorkingDirectory(bootstrap.sandbox)
        if let problem = FileSystem.write(JSONText.render(bootstrap), to: bootstrapPath, mode: 0o600) {
            throw PilotError(.backend, "\(resource): \(problem)")
        }
    }
}

/// How a pilot's job ended, as the resource manager reports it.
package struct JobEnd: Sendable, Equatable {
    /// A sentence naming the resource manager and what happened.
    package var reason: String
    /// True when the job ended normally (exit status 0).
    package var succeeded: Bool
    /// False when the job was ended before it could start (the batch
    /// system said it never would): the agent left no log to look at.
    package var started: Bool

    /// Creates the record.
    package init(reason: String, succeeded: Bool, started: Bool = true) {
        self.reason = reason
        self.succeeded = succeeded
        self.started = started
    }
}

/// Who hears about a pilot's job while it lives: its native state (the
/// batch system's own word, such as `PENDING`) whenever that changes, and
/// its end, once.
package struct JobObserver: Sendable {
    /// Called with the resource manager's state each time it changes.
    package var nativeState: @Sendable (String) -> Void
    /// Called once when the job is over.
    package var ended: @Sendable (JobEnd) -> Void

    /// Creates an observer.
    package init(nativeState: @escaping @Sendable (String) -> Void, ended: @escaping @Sendable (JobEnd) -> Void) {
        self.nativeState = nativeState
        self.ended = ended
    }
}

/// A started pilot job.
package protocol LaunchedPilot: Sendable {
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
    package var reportsEnd: Bool { false }
    /// Unknown by default: the agent links again or its grace runs out.
    package var agentHasExited: Bool { false }
}

/// Starts pilots on one kind of resource manager.
package protocol PilotLauncher: Sendable {
    /// Checks what can be checked before the pilot is registered (for
    /// example, that the working directory can be created).
    func prepare(_ description: PilotDescription) throws(PilotError)
    /// Starts the agent and reports what becomes of its job to `observer`.
    func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot
    /// The job of pilot `pilotID`, started by a coordinator that has since
    /// been restarted, from the `nativeID` it recorded; nil if it cannot be
    /// taken over. Its end is not observed (its agent's link is).
    func reattach(nativeID: String, pilotID: String) -> LaunchedPilot?
    /// Whether the agent may run on another host, so that it must link over the network.
    var linksOverNetwork: Bool { get }
}

/// The launcher for a service URL, or an error naming what is supported.
package enum Launchers {
    /// Makes the launcher for one URL of its scheme (or says what is wrong with the URL).
    private typealias Starter = (ServiceURL) throws(PilotError) -> any PilotLauncher

    /// The schemes pilots can use: all of them, in `ServiceURL.Scheme` order.
    package static var pilotSchemes: [ServiceURL.Scheme] { ServiceURL.Scheme.allCases }

    /// Picks the launcher for `url`'s scheme.
    package static func launcher(for url: ServiceURL) throws(PilotError) -> PilotLauncher {
        try starter(for: url.scheme)(url)
    }

    /// How pilots start on `scheme`'s resource manager: every one as a job
    /// of a job service.
    private static func starter(for scheme: ServiceURL.Scheme) -> Starter {
        switch scheme {
        case .fork:
            { url throws(PilotError) in
                guard isLocal(url) else {
                    throw PilotError(.invalidArgument, "service_url \(quoted(url.text)): fork:// runs on this machine only; use fork://localhost, or ssh://\(url.host) for another host")
                }
                return JobLauncher(service: ForkJobService(), placement: SharedFileSystemPlacement(resource: url.text, linksOverNetwork: false))
            }
        case .slurm, .sge, .pbs:
            { url throws(PilotError) in
                try requireLocal(url, remote: url.scheme.rawValue + "+ssh")
                let service = try JobServices.service(for: url)
                return JobLauncher(service: service, placement: SharedFileSystemPlacement(resource: service.resource, linksOverNetwork: true))
            }
        case .ssh:
            // The job is the local ssh connection that runs the agent there.
            { url in JobLauncher(service: ForkJobService(resource: url.text), placement: SshPlacement(url: url)) }
        case .slurmSSH, .pbsSSH, .sgeSSH:
            // Batch commands on the login host; the agent links back over the network.
            { url throws(PilotError) in JobLauncher(service: try JobServices.service(for: url), placement: LoginHostPlacement(url: url)) }
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
}
