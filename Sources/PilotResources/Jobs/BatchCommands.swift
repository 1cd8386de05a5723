import Glibc
import PilotModel
import PilotSystem

/// What the batch adaptors share: running a manager's command with a clear
/// error, quoting for job scripts, and reading the manager's time stamps.
struct BatchCommands: Sendable {
    /// The resource's URL, for messages.
    let resource: String
    /// `NAME=value` settings the manager's commands need, used where the
    /// environment lacks them (Grid Engine's SGE_ROOT).
    var defaults: [String] = []

    /// Runs `arguments` to the end.
    func result(_ arguments: [String], input: String? = nil) -> Result<CommandResult, SpawnFailure> {
        let present = Set(Command.currentEnvironment().compactMap { $0.split(separator: "=").first.map(String.init) })
        let missing = defaults.filter { !present.contains(String($0.prefix { $0 != "=" })) }
        return Command.run(arguments, input: input, environment: missing)
    }

    /// Runs `arguments`; its stdout on success, else an error quoting the
    /// manager's own message.
    func run(_ arguments: [String], input: String? = nil) throws(PilotError) -> String {
        switch result(arguments, input: input) {
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

    /// `job` run so that each array task also sees its index, which the
    /// manager puts in `variable`, as PILOT_TASK_INDEX.
    static func indexed(_ job: JobDescription, from variable: String) -> JobDescription {
        var wrapped = job
        wrapped.executable = "/bin/sh"
        wrapped.arguments = ["-c", "PILOT_TASK_INDEX=$\(variable); export PILOT_TASK_INDEX; exec \"$0\" \"$@\"", job.executable] + job.arguments
        return wrapped
    }

    /// The submitting user's name (from USER), to list only their jobs.
    static var user: String? {
        Command.currentEnvironment().first { $0.hasPrefix("USER=") }.map { String($0.dropFirst(5)) }
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
        return localTime(numbers)
    }

    /// Seconds since 1970 for a local `Sun Nov 22 06:10:25 2026` (ctime's shape).
    static func ctime(_ text: String?) -> Double? {
        let words = text?.split(separator: " ") ?? []
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard words.count == 5, let month = months.firstIndex(of: String(words[1])),
              let day = Int32(words[2]), let year = Int32(words[4]) else { return nil }
        let clock = words[3].split(separator: ":").compactMap { Int32($0) }
        guard clock.count == 3 else { return nil }
        return localTime([year, Int32(month + 1), day] + clock)
    }

    /// Year, month (1-12), day, hour, minute, second in local time, as seconds since 1970.
    private static func localTime(_ numbers: [Int32]) -> Double? {
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
