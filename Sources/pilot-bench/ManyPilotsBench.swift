import ArgumentParser
import Glibc
import Pilot
import PilotAgent

/// The coordinator and scheduler under many pilots: emulated agents (see
/// `Agent.emulationVariable`) hold each unit's slots for its duration and
/// run nothing, so the figure is binding and dispatch, not process spawning.
struct ManyPilotsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "many-pilots", abstract: "Units bound and dispatched per second across many emulated pilots.")

    @OptionGroup var sandbox: SandboxOptions

    @Option(help: "Emulated pilots.") var pilots = 1000
    @Option(help: "Slots per pilot.") var slots = 64
    @Option(help: "Units to run.") var units = 500_000
    @Option(help: "Declared duration of each unit, seconds.") var duration = 0.1
    @Option(help: "How the agents link: socket (Unix socket) or network (encrypted TCP).") var link = "socket"

    func validate() throws {
        guard ["socket", "network"].contains(link) else { throw ValidationError("--link must be socket or network") }
    }

    func run() throws {
        setenv(Agent.emulationVariable, "1", 1)
        var setup: BenchPilots?
        let startSeconds = try Measure.time { setup = try BenchPilots(count: pilots, slots: slots, base: sandbox.sandboxBase, overNetwork: link == "network") }
        guard let setup else { return }
        defer { setup.close() }
        let descriptions = [JSONValue](
            repeating: ["executable": "/bin/true", "duration": .double(duration)], count: units)
        var submitted: [ComputeUnit] = []
        var submitSeconds = 0.0
        let seconds = try Measure.time {
            submitSeconds = try Measure.time { submitted = try setup.service.submit(many: descriptions) }
            try setup.service.wait()
        }
        var report = BenchReport(bench: "many-pilots")
        report["face"] = "swift"
        report["link"] = .string(link)
        report["pilots"] = .int(Int64(pilots))
        report["slots"] = .int(Int64(pilots * slots))
        report["units"] = .int(Int64(units))
        report["duration"] = .double(duration)
        report["pilots_running_seconds"] = .double(startSeconds)
        report["seconds"] = .double(seconds)
        report["submit_seconds"] = .double(submitSeconds)
        report["rate"] = .double(Double(units) / seconds)
        // From the moment all are queued: binding, dispatch, the emulated run and the reports.
        report["dispatch_rate"] = .double(Double(units) / (seconds - submitSeconds))
        report["states"] = .object(try BenchPilots.tally(submitted))
        report.print()
    }
}
