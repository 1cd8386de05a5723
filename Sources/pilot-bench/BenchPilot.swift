import ArgumentParser
import FoundationEssentials
import Pilot
import PilotSystem

/// A session with one ComputeDataService fed by fork pilots, as every
/// execution benchmark needs it.
struct BenchPilots {
    let session: Session
    let pilots: PilotComputeService
    let service: ComputeDataService
    let started: [PilotCompute]
    /// Where the pilots' sandboxes are (removed by `close`).
    let directory: String

    /// Starts `count` fork pilots of `slots` slots each under `base` and
    /// waits until they run; with `overNetwork` their agents link over the
    /// encrypted TCP link instead of the Unix socket.
    init(count: Int = 1, slots: Int, base: String, overNetwork: Bool = false) throws {
        directory = "\(base)/pilot-bench-\(UUID().uuidString.prefix(8).lowercased())"
        var options = SessionOptions()
        options.allAgentsOverNetwork = overNetwork
        session = try Session(options: options)
        pilots = try session.createPilotComputeService()
        var started: [PilotCompute] = []
        for _ in 0..<count {
            started.append(try pilots.createPilot([
                "service_url": "fork://localhost", "number_of_processes": .int(Int64(slots)),
                "working_directory": .string(directory),
            ]))
        }
        for pilot in started where try pilot.waitUntilStarted(timeout: 120) != .running {
            throw ValidationError("pilot \(pilot.id) did not start: \(try pilot.details().reason ?? "no reason")")
        }
        self.started = started
        service = try session.createComputeDataService()
        try service.add(pilots)
    }

    /// Ends the session and removes the sandboxes.
    func close() {
        session.close()
        FileSystem.removeTree(directory)
    }

    /// Counts units by state name.
    static func tally(_ units: [ComputeUnit]) throws -> [String: JSONValue] {
        var counts: [String: Int64] = [:]
        for unit in units { counts[try unit.state().name, default: 0] += 1 }
        return counts.mapValues { .int($0) }
    }
}

/// Where the benchmarks put pilot sandboxes.
struct SandboxOptions: ParsableArguments {
    /// tmpfs by default: on this machine kind's ext4 disk one unit's sandbox
    /// (a directory and two files) costs about 0.5 ms of kernel time, more
    /// than spawning the unit; clusters put sandboxes on node-local scratch.
    @Option(help: "Directory under which pilot sandboxes are made.")
    var sandboxBase = FileSystem.isDirectory("/dev/shm") ? "/dev/shm" : Environment.temporaryDirectory
}
