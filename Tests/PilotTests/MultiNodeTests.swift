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

    /// Processes running `sleep <marker>` on this machine (both "nodes").
    private static func sleeps(_ marker: String) -> Int {
        guard case .success(let result) = Subprocess.run(["pgrep", "-f", "-x", "(/bin/)?sleep \(marker)"]) else { return -1 }
        return result.output.split(separator: "\n").count
    }
}
