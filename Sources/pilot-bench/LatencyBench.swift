import ArgumentParser
import Pilot

/// One unit at a time on an idle pilot: submit until the caller sees Done.
struct LatencyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency", abstract: "Submit-to-Done time of one /bin/true unit on an idle pilot.")

    @OptionGroup var sandbox: SandboxOptions

    @Option(help: "Units to time (one at a time).") var samples = 1000
    @Option(help: "Untimed units run first.") var warmup = 20

    func run() throws {
        let pilots = try BenchPilots(slots: 1, base: sandbox.sandboxBase)
        defer { pilots.close() }
        var times: [Double] = []
        var done = 0
        for index in 0..<(warmup + samples) {
            var state = State.unknown
            let seconds = try Measure.time {
                state = try pilots.service.submit(["executable": "/bin/true"]).wait()
            }
            if index >= warmup {
                times.append(seconds * 1000)
                if state == .done { done += 1 }
            }
        }
        var report = BenchReport(bench: "latency")
        report["face"] = "swift"
        report["samples"] = .int(Int64(samples))
        report["done"] = .int(Int64(done))
        report["median_ms"] = .double(Measure.percentile(times, 0.5))
        report["p99_ms"] = .double(Measure.percentile(times, 0.99))
        report.print()
    }
}
