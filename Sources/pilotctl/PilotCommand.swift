import ArgumentParser
import PilotSystem

/// `pilotctl`: the command-line face of the pilot framework.
@main
struct PilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilotctl",
        abstract: "Run ensembles of compute units inside pilots.",
        discussion: """
            Exit status: 0 success, 1 units failed (or the session could not do what was asked), 2 bad usage \
            or input (an unknown session, unit or state, a malformed file). Shell completions: \
            pilotctl --generate-completion-script bash (or zsh).
            """,
        subcommands: [
            EnsembleCommand.self, ServeCommand.self, StartCommand.self, SubmitCommand.self, StatusCommand.self,
            ListCommand.self, PilotsCommand.self, WaitCommand.self, CancelCommand.self, CatCommand.self,
            TailCommand.self, LogsCommand.self, TopCommand.self, ReportCommand.self,
        ])

    /// Runs the command line; bad usage exits 2 rather than ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            StandardStreams.error("pilotctl: \(failure.error.message)\n")
            exit(withError: failure.exitCode)
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStreams.error(fullMessage(for: error) + "\n")
                exit(withError: ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
