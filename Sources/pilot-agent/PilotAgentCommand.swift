import ArgumentParser
import PilotAgent
import PilotData

/// `pilot-agent`: the per-pilot process the job layer starts. Not meant to
/// be run by hand; its secret arrives in the bootstrap file, never in argv.
@main
struct PilotAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot-agent",
        abstract: "Run a pilot's compute units (started by the pilot job layer).")

    @Option(help: "The bootstrap file written by the job layer (read once, then deleted).")
    var bootstrap: String?

    @Option(name: .customLong("node-worker"), help: ArgumentHelp(
        "Serve the agent of this pilot as its worker on another node (started by that agent).", valueName: "pilot-id"))
    var nodeWorkerPilot: String?

    @Flag(help: "Stage files for a unit: a plan (JSON) on stdin, a report on stdout (started by the agent).")
    var stage = false

    func validate() throws {
        guard [bootstrap != nil, nodeWorkerPilot != nil, stage].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --bootstrap FILE, --node-worker PILOT-ID or --stage")
        }
    }

    func run() throws {
        if stage {
            throw ExitCode(StagingReport.serveStandardInput())
        }
        if let nodeWorkerPilot {
            throw ExitCode(NodeWorker.run(pilotID: nodeWorkerPilot))
        }
        throw ExitCode(Agent.run(bootstrapPath: bootstrap ?? ""))
    }
}
