import ArgumentParser
import FoundationEssentials
import Pilot
import PilotModel
import PilotShell
import PilotSystem

/// `pilot ensemble`: starts one fork pilot, runs N units of one command
/// (each with TASK_NO set to its number), waits, and reports.
struct EnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Run N copies of a command in one pilot on this machine.",
        discussion: "Each unit gets TASK_NO=<its number> in its environment; with --shell the command line is run by bash, so $TASK_NO expands.")

    @Option(help: "Units to run.")
    var units = 1000

    @Option(help: "Slots (cores) of the pilot.")
    var slots = 4

    @Option(help: "Base directory of the pilot sandbox (default: a new directory under /tmp).")
    var workingDirectory: String?

    @Flag(help: "Run each unit through /bin/bash -c (BigJob's semantics).")
    var shell = false

    @Argument(help: "The command and its arguments.")
    var command: [String] = ["/bin/echo", "I am task number $TASK_NO"]

    func validate() throws {
        guard units >= 1 else { throw ValidationError("--units must be at least 1") }
        guard slots >= 1 else { throw ValidationError("--slots must be at least 1") }
        guard let executable = command.first, !executable.isEmpty else { throw ValidationError("give a command to run") }
    }

    func run() throws {
        let directory = workingDirectory ?? Environment.temporaryDirectory + "/pilot-ensemble-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try Session()
        defer { session.close() }
        let pilots = try session.createPilotComputeService()
        let created = WallClock.monotonic()
        let pilot = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": .int(Int64(slots)),
            "working_directory": .string(directory),
        ])
        try pilot.waitUntilStarted(timeout: 30)
        let startup = WallClock.monotonic() - created
        let service = try session.createComputeDataService()
        try service.add(pilots)
        let descriptions = CommandUnits.descriptions(command, count: units, shell: shell)
        let began = WallClock.monotonic()
        let submitted = try service.submit(many: descriptions)
        try service.wait()
        let elapsed = WallClock.monotonic() - began
        var counts: [State: Int] = [:]
        for unit in submitted { counts[try unit.state(), default: 0] += 1 }
        let summary = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.name)" }
        print("pilot \(pilot.id) on fork://localhost with \(slots) slots: Running after \(milliseconds(startup)) ms")
        print("\(units) units: \(summary.joined(separator: ", ")) in \(milliseconds(elapsed)) ms (\(Int(Double(units) / elapsed)) units/s)")
        if let first = submitted.first, let sandbox = try first.details().workingDirectory {
            print("first unit's sandbox: \(sandbox)")
            print("its stdout: \(FileSystem.read(sandbox + "/stdout") ?? "(none)")", terminator: "")
        }
        if counts[.done] != units { throw ExitCode.failure }
    }

    private func milliseconds(_ seconds: Double) -> String {
        String(Int((seconds * 1000).rounded()))
    }
}
