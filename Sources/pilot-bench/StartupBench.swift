import ArgumentParser
import Glibc
import Pilot

/// Fork pilot create → Running, and the idle agent's resident memory.
struct StartupBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup", abstract: "Fork pilot start time and idle agent memory.")

    @OptionGroup var sandbox: SandboxOptions

    @Option(help: "Pilots to start, one after another.") var samples = 10

    func run() throws {
        let pilots = try BenchPilots(count: 0, slots: 1, base: sandbox.sandboxBase)
        defer { pilots.close() }
        var startTimes: [Double] = []
        var agentBytes: [Double] = []
        for _ in 0..<samples {
            var pilot: PilotCompute?
            var state = State.unknown
            let seconds = try Measure.time {
                let created = try pilots.pilots.createPilot([
                    "service_url": "fork://localhost", "number_of_processes": 1,
                    "working_directory": .string(pilots.directory),
                ])
                state = try created.waitUntilStarted(timeout: 30)
                pilot = created
            }
            guard let pilot, state == .running else { throw ValidationError("a pilot did not start") }
            startTimes.append(seconds * 1000)
            usleep(200_000)  // let the agent settle: idle means after its start-up work
            if let agent = try pilot.details().nativeID.flatMap({ Int32($0) }) {
                agentBytes.append(Double(Measure.residentBytes(of: agent)))
            }
            try pilot.cancel()
        }
        var report = BenchReport(bench: "startup")
        report["face"] = "swift"
        report["samples"] = .int(Int64(samples))
        report["running"] = .int(Int64(startTimes.count))
        report["start_median_ms"] = .double(Measure.percentile(startTimes, 0.5))
        report["start_max_ms"] = .double(startTimes.max() ?? 0)
        report["agent_rss_mib"] = .double(Measure.percentile(agentBytes, 0.5) / 1_048_576)
        report.print()
    }
}
