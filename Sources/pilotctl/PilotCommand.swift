import ArgumentParser

/// `pilotctl`: the command-line face of the pilot framework.
@main
struct PilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilotctl",
        abstract: "Run ensembles of compute units inside pilots.",
        subcommands: [EnsembleCommand.self, ServeCommand.self, ReportCommand.self])
}
