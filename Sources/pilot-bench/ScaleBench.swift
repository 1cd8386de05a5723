import ArgumentParser
import Pilot
import PilotSystem

/// Many units queued behind a busy pilot: submission rate, core memory per
/// queued unit, and the time to cancel them all.
struct ScaleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Submit N units to a service whose pilot is busy, then cancel them.")

    @OptionGroup var sandbox: SandboxOptions

    @Option(help: "Units to queue.") var units = 1_000_000
    @Option(help: "Units per submission call.") var batch = 10_000

    func run() throws {
        let pilots = try BenchPilots(slots: 1, base: sandbox.sandboxBase)
        defer { pilots.close() }
        // The pilot's one slot (and its look-ahead) hold sleeping units, so
        // everything submitted after them stays queued in the coordinator.
        _ = try pilots.service.submit(many: .init(repeating: ["executable": "/bin/sleep", "arguments": ["3600"]], count: 2))
        let description: JSONValue = ["executable": "/bin/true"]
        let chunk = [JSONValue](repeating: description, count: batch)
        let residentBefore = Measure.residentBytes()
        var queued = 0
        let submitSeconds = try Measure.time {
            while queued < units {
                let count = min(batch, units - queued)
                queued += try pilots.service.submit(many: count == batch ? chunk : Array(chunk.prefix(count))).count
            }
        }
        let residentAfter = Measure.residentBytes()
        let cancelSeconds = try Measure.time { try pilots.service.cancel() }
        let left = try pilots.service.units().count { try $0.state() != .canceled }
        var report = BenchReport(bench: "scale")
        report["face"] = "swift"
        report["units"] = .int(Int64(queued))
        report["submit_seconds"] = .double(submitSeconds)
        report["submit_rate"] = .double(Double(queued) / submitSeconds)
        report["bytes_per_unit"] = .double(Double(residentAfter - residentBefore) / Double(queued))
        report["cancel_seconds"] = .double(cancelSeconds)
        report["not_canceled"] = .int(Int64(left))
        report.print()
    }
}
