import Glibc
import PilotModel
import PilotSystem

/// What the batch adaptors share: running a manager's command with a clear
/// error, quoting for job scripts, and reading the manager's time stamps.
struct BatchCommands: Sendable {
    /// The resource's URL, for messages.
    let resource: String

    /// Runs `arguments`; its stdout on success, else an error quoting the
    /// manager's own message.
    func run(_ arguments: [String], input: String? = nil) throws(PilotError) -> String {
        switch Command.run(arguments, input: input) {
        case .failure(let failure):
            throw PilotError(.backend, "\(resource): cannot run \(arguments.first ?? ""): \(failure.reason); is the batch system's client installed and on PATH?")
        case .success(let result) where result.succeeded:
            return result.output
        case .success(let result):
            // The command and its operands, without the options: "sbatch", "scontrol suspend 12".
            let command = arguments.filter { !$0.hasPrefix("-") }.joined(separator: " ")
            throw PilotError(.backend, "\(resource): \(command) failed: \(result.message)")
        }
    }

    /// `text` quoted for a POSIX shell.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// A job script that exports `job.environment` and runs the executable.
    static func script(for job: JobDescription, directives: [String] = []) -> String {
        var lines = ["#!/bin/sh"] + directives
        for (name, value) in job.environment.sorted(by: { $0.key < $1.key }) {
            lines.append("export \(name)=\(quoted(value))")
        }
        lines.append("exec " + ([job.executable] + job.arguments).map(quoted).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds since 1970 for a local `YYYY-MM-DDTHH:MM:SS`; nil for anything else.
    static func time(_ text: String?) -> Double? {
        guard let text, text.count == 19 else { return nil }
        let numbers = text.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int32($0) }
        guard numbers.count == 6 else { return nil }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (numbers[0] - 1900, numbers[1] - 1, numbers[2])
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (numbers[3], numbers[4], numbers[5])
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return seconds < 0 ? nil : Double(seconds)
    }

    /// Whole minutes for a batch system's time limit (at least 1).
    static func minutes(_ value: Double) -> Int {
        max(1, Int(value.rounded(.up)))
    }
}
