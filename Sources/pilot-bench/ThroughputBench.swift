import ArgumentParser
import Pilot

/// N units of `/bin/true` on fork pilots, submitted in one call and awaited.
struct ThroughputBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput", abstract: "Units per second of /bin/true on a fork pilot.")

    @OptionGroup var sandbox: SandboxOptions

    @Option(help: "Units to run.") var units = 10_000
    @Option(help: "Slots of the pilot.") var slots = 2

    func run() throws {
        let pilots = try BenchPilots(slots: slots, base: sandbox.sandboxBase)
        defer { pilots.close() }
        let descriptions = [JSONValue](repeating: ["executable": "/bin/true"], count: units)
        var submitted: [ComputeUnit] = []
        let seconds = try Measure.time {
            submitted = try pilots.service.submit(many: descriptions)
            try pilots.service.wait()
        }
        var report = BenchReport(bench: "throughput")
        report["face"] = "swift"
        report["units"] = .int(Int64(units))
        report["slots"] = .int(Int64(slots))
        report["seconds"] = .double(seconds)
        report["rate"] = .double(Double(units) / seconds)
        report["states"] = .object(try BenchPilots.tally(submitted))
        report.print()
    }
}
