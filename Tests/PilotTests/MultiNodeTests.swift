import Glibc
import Pilot
import PilotSystem
import XCTest

/// A pilot whose allocation spans two nodes, as PBS describes it in
/// PBS_NODEFILE: this host and `rmh-ssh`, the harness's sshd on
/// 127.0.0.1:2222 under an ssh alias (.ci/rm/sshd-up.sh). Units on the
/// second node really go through ssh.
final class MultiNodeTests: XCTestCase {
    private var directory = ""
    private var session: Session?
    private var pilot: PilotCompute?

    override func setUpWithError() throws {
        directory = TemporaryDirectory.make()
        let nodes = [FileSystem.hostName(), FileSystem.hostName(), "rmh-ssh", "rmh-ssh"].joined(separator: "\n") + "\n"
        XCTAssertNil(FileSystem.write(nodes, to: directory + "/nodefile", mode: 0o644))
        // The agent inherits it, as it would inside a PBS job.
        setenv("PBS_NODEFILE", directory + "/nodefile", 1)
        defer { unsetenv("PBS_NODEFILE") }
        let session = try Session()
        self.session = session
        pilot = try session.createPilotComputeService().createPilot([
            "service_url": "fork://localhost", "number_of_processes": 4, "working_directory": .string(directory),
        ])
    }

    override func tearDown() {
        session?.close()
    }

    /// Two units run here, two over ssh on the other node, each told its node.
    func testUnitsFillBothNodes() throws {
        let pilot = try XCTUnwrap(pilot)
        let units = try (0..<4).map { _ in
            try pilot.submit(["executable": "/bin/sh", "arguments": ["-c", "sleep 1; echo $PILOT_NODE ${SSH_CONNECTION:+over-ssh}"]])
        }
        var lines: [String] = []
        for unit in units {
            XCTAssertEqual(try unit.wait(timeout: 60), .done, (try? unit.details().reason) ?? "")
            let sandbox = try XCTUnwrap(unit.details().workingDirectory)
            lines.append(FileSystem.read(sandbox + "/stdout")?.trimmed ?? "")
        }
        XCTAssertEqual(lines.sorted(), ["\(FileSystem.hostName())", "\(FileSystem.hostName())", "rmh-ssh over-ssh", "rmh-ssh over-ssh"].sorted())
        let log = FileSystem.read(directory + "/stderr-\(pilot.id)-agent.txt") ?? ""
        XCTAssertTrue(log.contains("allocation from PBS: \(FileSystem.hostName()) (2), rmh-ssh (2)"), log)
    }

    /// A unit wider than any node needs MPI to span them; an MPI unit gets
    /// a machinefile naming both nodes, and mpirun starts its third rank
    /// on the other node.
    func testOnlyMPIUnitsSpanNodes() throws {
        let pilot = try XCTUnwrap(pilot)
        let wide = try pilot.submit(["executable": "/bin/true", "number_of_processes": 3])
        XCTAssertEqual(try wide.wait(timeout: 30), .failed)
        XCTAssertEqual(try wide.details().reason,
                       "unit needs 3 slots on one node but this pilot's nodes have at most 2; use spmd_variation 'mpi' to span nodes")
        let mpi = try pilot.submit([
            "executable": "/bin/sh", "arguments": ["-c", "echo rank $OMPI_COMM_WORLD_RANK ${SSH_CONNECTION:+over-ssh}"],
            "spmd_variation": "mpi", "number_of_processes": 3,
        ])
        XCTAssertEqual(try mpi.wait(timeout: 60), .done, (try? mpi.details().reason) ?? "")
        let sandbox = try XCTUnwrap(mpi.details().workingDirectory)
        XCTAssertEqual(FileSystem.read(sandbox + "/machinefile-\(mpi.id)"), "\(FileSystem.hostName()) slots=2\nrmh-ssh slots=1\n")
        let lines = (FileSystem.read(sandbox + "/stdout") ?? "").split(separator: "\n").map { $0.trimmed }.sorted()
        XCTAssertEqual(lines, ["rank 0", "rank 1", "rank 2 over-ssh"], FileSystem.read(sandbox + "/stderr") ?? "")
    }

    /// Cancelling a unit on the other node ends its remote process too.
    func testCancelReachesTheOtherNode() throws {
        let pilot = try XCTUnwrap(pilot)
        let marker = "\(300 + Int.random(in: 1...600))"
        let units = try (0..<4).map { _ in try pilot.submit(["executable": "/bin/sleep", "arguments": [.string(marker)]]) }
        XCTAssertTrue(Processes.eventually(within: 30) { Self.sleeps(marker) == 4 }, "four sleeps, two of them under sshd")
        for unit in units { try unit.cancel() }
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 10), .canceled) }
        XCTAssertTrue(Processes.eventually(within: 5) { Self.sleeps(marker) == 0 }, "no sleep left on either node")
    }

    /// Once the other node's worker is ready, units there are its children
    /// (no ssh each); when it is killed, the units it ran end Failed with a
    /// reason naming it, and the node takes units again through ssh.
    func testTheOtherNodesWorkerRunsItsUnitsAndItsEndFailsOnlyThose() throws {
        let pilot = try XCTUnwrap(pilot)
        let log = try awaitWorker(of: pilot)
        let marker = "\(300 + Int.random(in: 1...600))"
        let parent = ["executable": "/bin/sh", "arguments": ["-c", .string("tr '\\0' ' ' < /proc/$PPID/cmdline; echo; grep SigIgn /proc/self/status; exec sleep \(marker)")]] as JSONValue
        let units = try (0..<4).map { _ in try pilot.submit(parent) }
        XCTAssertTrue(Processes.eventually(within: 30) {
            units.allSatisfy { (try? $0.details().state) == .running }
        })
        var outputs: [String] = []
        for unit in units {
            let sandbox = try XCTUnwrap(unit.details().workingDirectory)
            XCTAssertTrue(Processes.eventually(within: 10) { FileSystem.read(sandbox + "/stdout")?.contains("SigIgn") == true })
            outputs.append(FileSystem.read(sandbox + "/stdout")?.trimmed ?? "")
        }
        // A worker's units start with SIGPIPE at its default, as the agent's do (ignored, it would hang pipelines).
        let ignored = outputs.map { $0.split(separator: "\t").last.flatMap { UInt64($0.trimmed, radix: 16) } }
        XCTAssertEqual(ignored.map { $0.map { $0 & (1 << (UInt64(SIGPIPE) - 1)) } }, [0, 0, 0, 0], "\(outputs)")
        let onWorker = units.indices.filter { outputs[$0].split(separator: "\n").first?.trimmed.hasSuffix("--node-worker \(pilot.id)") == true }
        XCTAssertEqual(onWorker.count, 2, "\(outputs)")
        var workerPids: Set<Int32> = []
        for index in onWorker {
            if let pid = try units[index].details().pid { workerPids.insert(pid) }
        }
        XCTAssertEqual(workerPids.count, 2, "the worker reports each unit's own pid")
        let worker = try workerPid(of: pilot)
        kill(worker, SIGKILL)
        for index in units.indices {
            if onWorker.contains(index) {
                XCTAssertEqual(try units[index].wait(timeout: 30), .failed)
                let reason = try units[index].details().reason ?? "no reason"
                XCTAssertTrue(reason.hasPrefix("the node worker on rmh-ssh ended ("), reason)
            } else {
                XCTAssertEqual(try units[index].details().state, .running, "a unit on this node runs on")
            }
        }
        XCTAssertTrue(Processes.eventually(within: 10) { Self.sleeps(marker) == 2 }, "the dead worker's units are killed on its node")
        let after = try pilot.submit(["executable": "/bin/sh", "arguments": ["-c", "echo $PILOT_NODE ${SSH_CONNECTION:+over-ssh}"]])
        let more = try pilot.submit(["executable": "/bin/sh", "arguments": ["-c", "echo $PILOT_NODE ${SSH_CONNECTION:+over-ssh}"]])
        for unit in [after, more] { XCTAssertEqual(try unit.wait(timeout: 60), .done, (try? unit.details().reason) ?? "") }
        let lines = try [after, more].map { FileSystem.read(try XCTUnwrap($0.details().workingDirectory) + "/stdout")?.trimmed ?? "" }
        XCTAssertEqual(lines, ["rmh-ssh over-ssh", "rmh-ssh over-ssh"], "the other node's free slots take units through ssh")
        XCTAssertTrue(FileSystem.read(log)?.contains("units there now start with an srun or ssh each") == true)
    }

    /// A worker that stops answering (here: stopped) is given up within
    /// seconds, with its units, whose processes are killed on its node.
    func testAWorkerThatStopsAnsweringIsGivenUpWithItsUnits() throws {
        let pilot = try XCTUnwrap(pilot)
        _ = try awaitWorker(of: pilot)
        let marker = "\(300 + Int.random(in: 1...600))"
        let units = try (0..<4).map { _ in try pilot.submit(["executable": "/bin/sleep", "arguments": [.string(marker)]]) }
        XCTAssertTrue(Processes.eventually(within: 30) { Self.sleeps(marker) == 4 })
        let worker = try workerPid(of: pilot)
        kill(worker, SIGSTOP)
        defer { kill(worker, SIGKILL) }
        // Silent for more than 10 s, noticed within the next 2 s round.
        let failed = { units.filter { (try? $0.details().state) == .failed } }
        XCTAssertTrue(Processes.eventually(within: 16) { failed().count == 2 })
        XCTAssertEqual(failed().map { (try? $0.details().reason) ?? nil },
                       Array(repeating: "the node worker on rmh-ssh ended (it did not answer for 10 s)", count: 2))
        XCTAssertTrue(Processes.eventually(within: 10) { Self.sleeps(marker) == 2 }, "the stopped worker's units are killed on its node")
    }

    /// Waits for the other node's worker to be ready; returns the agent's log path.
    private func awaitWorker(of pilot: PilotCompute) throws -> String {
        let log = directory + "/stderr-\(pilot.id)-agent.txt"
        XCTAssertTrue(Processes.eventually(within: 30) { FileSystem.read(log)?.contains("node worker on rmh-ssh ready after") == true },
                      FileSystem.read(log) ?? "no agent log")
        return log
    }

    /// The pid of `pilot`'s worker (on this machine, as the other "node").
    private func workerPid(of pilot: PilotCompute) throws -> Int32 {
        let found = try? Subprocess.run(["pgrep", "-f", "--", "--node-worker \(pilot.id)"]).get()
        return try XCTUnwrap(found?.output.split(separator: "\n").first.flatMap { Int32($0) }, "no worker process")
    }

    /// Processes running `sleep <marker>` on this machine (both "nodes").
    private static func sleeps(_ marker: String) -> Int {
        guard case .success(let result) = Subprocess.run(["pgrep", "-f", "-x", "(/bin/)?sleep \(marker)"]) else { return -1 }
        return result.output.split(separator: "\n").count
    }
}
