import ArgumentParser
import PilotAgent

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

    func validate() throws {
        guard (bootstrap == nil) != (nodeWorkerPilot == nil) else {
            throw ValidationError("give either --bootstrap FILE or --node-worker PILOT-ID")
        }
    }

    func run() throws {
        if let nodeWorkerPilot {
            throw ExitCode(NodeWorker.run(pilotID: nodeWorkerPilot))
        }
        throw ExitCode(Agent.run(bootstrapPath: bootstrap ?? ""))
    }
}
