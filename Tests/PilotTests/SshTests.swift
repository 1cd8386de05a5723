import Glibc
import Pilot
import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// The job layer and pilots over ssh, against the sshd that `.ci/rm-up.sh`
/// starts on 127.0.0.1:2222 (.ci/rm/sshd-up.sh: key-based login for
/// this user, set up in ~/.ssh/config).
final class SshTests: XCTestCase {
    private let ssh = SshJobService(url: try! ServiceURL("ssh://localhost:2222"))

    func testJobsRunAndReportTheirEnd() throws {
        try JobServiceScenarios(service: ssh).jobsRunAndReportTheirEnd()
    }

    func testAnArrayRunsAtMostMaxParallelTasks() throws {
        try JobServiceScenarios(service: ssh).arrayRunsAtMostMaxParallelTasks()
    }

    func testSuspendResumeAndTimeouts() throws {
        try JobServiceScenarios(service: ssh).suspendResumeAndTimeout()
    }

    func testHoldIsUnsupportedAndIdsAreChecked() throws {
        let id = try ssh.submit(JobServiceScenarios.job("true", in: TemporaryDirectory.make()))
        XCTAssertThrowsError(try ssh.control(.hold, id)) { error in XCTAssertEqual((error as? PilotError)?.code, .unsupported) }
        XCTAssertThrowsError(try ssh.status(of: "j1; reboot")) { error in XCTAssertEqual((error as? PilotError)?.code, .invalidArgument) }
        _ = try ssh.wait(for: [id], until: [.done, .failed], timeout: 30)
        try ssh.delete(id)
        XCTAssertEqual(try ssh.status(of: id).state, .undetermined)
    }

    /// A 2-slot pilot on ssh://localhost:2222 runs 100 units with the right
    /// outputs; its link runs through the ssh connection.
    func testAPilotOverSshRunsUnits() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let pilot = try session.createPilotComputeService().createPilot([
            "service_url": "ssh://localhost:2222", "number_of_processes": 2, "working_directory": .string(directory),
        ])
        let units = try (0..<100).map { index in
            try pilot.submit(["executable": "/bin/echo", "arguments": [.string("unit \(index)")]])
        }
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 120), .done) }
        for (index, unit) in units.enumerated() {
            let sandbox = try XCTUnwrap(unit.details().workingDirectory)
            XCTAssertEqual(FileSystem.read(sandbox + "/stdout"), "unit \(index)\n")
        }
        try pilot.cancel()
        XCTAssertEqual(try pilot.state(), .canceled)
        XCTAssertTrue(Processes.eventually(within: 10) { Processes.running(under: directory).isEmpty }, "nothing left running")
    }
}
