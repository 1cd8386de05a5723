import Glibc
import PilotModel
import PilotSystem

/// Where a pilot's agent runs and how it gets there: its sandbox and
/// bootstrap file made, its binary staged, and the job that starts it.
package protocol AgentPlacement: Sendable {
    /// Checks what can be checked before the pilot is registered (that its
    /// working directory can be made).
    func prepare(_ description: PilotDescription) throws(PilotError)
    /// Writes the bootstrap, stages the agent, and returns the job that starts it.
    func job(for request: AgentLaunch) throws(PilotError) -> JobDescription
    /// The job was not submitted: removes what `job(for:)` left.
    func discard(_ request: AgentLaunch)
    /// The pilot's job as the coordinator holds it (where its units run decides how orphans die).
    func placed(_ pilot: LaunchedPilot) -> LaunchedPilot
    /// Whether a restarted coordinator can take the job over by its native id.
    var reattaches: Bool { get }
    /// Whether the agent may run on another host (so it links over the network).
    var linksOverNetwork: Bool { get }
}

extension AgentPlacement {
    package func placed(_ pilot: LaunchedPilot) -> LaunchedPilot { pilot }
    package var reattaches: Bool { true }
}

/// The agent runs where this machine's file system is: a local process,
/// or a batch job on nodes that share it. Its bootstrap (0600) and sandbox
/// are made here; the job runs `pilot-agent --bootstrap <file>` with the
/// pilot's cores, nodes, wall time, queue and project. A batch job's agent
/// links over the network (its node is not known in advance).
package struct SharedFileSystemPlacement: AgentPlacement {
    /// The resource's URL, for messages.
    let resource: String
    /// False for fork (this host), true for batch jobs (any node).
    package let linksOverNetwork: Bool

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        try Self.makeWorkingDirectory(description.workingDirectory)
    }

    package func job(for request: AgentLaunch) throws(PilotError) -> JobDescription {
        let description = request.description
        try request.writeBootstrap(resource: resource)
        // A batch node sees the working directory, which may be the only
        // place it shares with this host: the agent goes there.
        let agent = linksOverNetwork
            ? try AgentStaging.sharedCopy(of: request.agentExecutable, in: description.workingDirectory)
            : request.agentExecutable
        return request.batchJob(agent: agent)
    }

    /// Removes the bootstrap and the sandbox made for it, and the staged
    /// agent if no other pilot is there (a refused pilot leaves nothing).
    package func discard(_ request: AgentLaunch) {
        unlink(request.bootstrapPath)
        rmdir(request.bootstrap.sandbox)
        if linksOverNetwork { AgentStaging.removeUnusedCopies(in: request.description.workingDirectory) }
    }

    /// Makes `directory` (a pilot's working directory or sandbox) or says why it cannot be.
    static func makeWorkingDirectory(_ directory: String) throws(PilotError) {
        if let problem = FileSystem.makeDirectories(directory) {
            throw PilotError(.invalidArgument, "pilot compute description key 'working_directory': \(problem); choose a directory you can write")
        }
    }
}

extension AgentLaunch {
    /// The job that runs `agent` on this request's bootstrap in its
    /// sandbox, with the pilot's cores, nodes, wall time, queue and
    /// project, surviving the loss of a node; its logs in the working directory.
    func batchJob(agent: String) -> JobDescription {
        var job = JobDescription(executable: agent, arguments: ["--bootstrap", bootstrapPath])
        job.name = pilotID
        job.workingDirectory = bootstrap.sandbox
        job.output = logPath("stdout")
        job.error = logPath("stderr")
        job.slots = description.processes
        job.nodes = description.processesPerNode.map { (description.processes + $0 - 1) / $0 }
        job.wallTimeMinutes = description.wallTimeMinutes
        job.queue = description.queue
        job.project = description.project
        // The agent notices a lost node and goes on with the others.
        job.toleratesNodeFailure = true
        return job
    }
}
