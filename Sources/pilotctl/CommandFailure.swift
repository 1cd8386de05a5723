import ArgumentParser
import Pilot
import PilotSystem

/// Exit statuses of pilotctl: 0 success, 1 units failed (or the work
/// failed), 2 bad usage or input (the shell's convention for builtins).
enum ExitStatus {
    /// Units failed, or the session could not do what was asked.
    static let failure = ExitCode(1)
    /// The command line, a file it names, or an id in it is wrong.
    static let usage = ExitCode(2)
}

/// A library error as pilotctl reports it: the message on stderr, then
/// exit status 2 for bad input (invalid argument, unknown object) or 1.
struct CommandFailure: Error, CustomStringConvertible {
    let error: PilotError

    init(_ error: PilotError) {
        self.error = error
    }

    var description: String { error.message }

    /// The status this failure exits with.
    var exitCode: ExitCode {
        switch error.code {
        case .invalidArgument, .notFound: ExitStatus.usage
        default: ExitStatus.failure
        }
    }
}
