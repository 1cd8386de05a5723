import PilotModel
import PilotSystem

/// A `slurm+ssh://`, `sge+ssh://` or `pbs+ssh://` pilot: the batch commands
/// run on the login host over ssh, the coordinator stays on this machine.
/// The pilot's working directory is on the cluster's file system: the
/// bootstrap (0600) and the agent (staged once per build in the working
/// directory's `.pilot-agents`) are put there over ssh, and the agent on
/// its compute node links back to this coordinator over the network:
/// directly, or through the login host (`AgentRelay`, `LoginTunnels`) when
/// the node cannot reach this machine.
package struct LoginHostPlacement: AgentPlacement {
    /// The login host's URL.
    let url: ServiceURL

    private var files: RemoteAgentFiles { RemoteAgentFiles(url: url) }

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        try files.prepare(description)
    }

    package func job(for request: AgentLaunch) throws(PilotError) -> JobDescription {
        var bootstrap = request.bootstrap
        if let first = bootstrap.networkAddresses?.first, let coordinator = try? NetworkAddress(first, what: "the coordinator's address") {
            switch LoginTunnels.shared.port(over: files.ssh, to: coordinator) {
            case .success(let port): bootstrap.relay = AgentRelay(login: files.ssh.destination, sshPort: url.port, port: port)
            case .failure(let error): bootstrap.relayProblem = error.message
            }
        }
        try files.writeBootstrap(bootstrap, for: request)
        let agent = try files.stage(request.agentExecutable, in: request.description.workingDirectory + "/.pilot-agents")
        return request.batchJob(agent: agent)
    }

    package func discard(_ request: AgentLaunch) {
        files.discard(request)
    }

    package var linksOverNetwork: Bool { true }
}
