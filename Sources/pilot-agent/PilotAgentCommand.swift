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
    var bootstrap: String

    func run() throws {
        throw ExitCode(Agent.run(bootstrapPath: bootstrap))
    }
}
