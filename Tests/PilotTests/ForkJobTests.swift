import Glibc
import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// The job API on `fork://localhost`: local processes.
final class ForkJobTests: XCTestCase {
    private let fork = ForkJobService()

    func testJobsRunAndReportTheirEnd() throws {
        try JobServiceScenarios(service: fork).jobsRunAndReportTheirEnd()
    }

    func testAnArrayRunsAtMostMaxParallelTasks() throws {
        try JobServiceScenarios(service: fork).arrayRunsAtMostMaxParallelTasks()
    }

    func testSuspendResumeAndTimeouts() throws {
        try JobServiceScenarios(service: fork).suspendResumeAndTimeout()
    }

    func testHeldJobsAreListedCountedAndFailWhenTerminated() throws {
        try JobServiceScenarios(service: fork).heldJobsAreListedCountedAndFailWhenTerminated()
    }

    func testAOneTaskArrayRunsAndASignalIsReported() throws {
        try JobServiceScenarios(service: fork).oneTaskArrayRunsAndASignalIsReported()
    }

    /// Held array tasks wait; deleting forgets only ended jobs; a running
    /// job cannot be held; an unknown id is not found.
    func testHoldDeleteAndErrors() throws {
        let directory = TemporaryDirectory.make()
        let ids = try fork.submit(JobServiceScenarios.job("sleep 0.3", in: directory), array: JobArray(begin: 0, end: 2, maxParallel: 1))
        try fork.control(.hold, ids[2])
        XCTAssertEqual(try fork.status(of: ids[2]).state, .queuedHeld)
        _ = try fork.wait(for: Array(ids[0...1]), until: [.done], timeout: 30)
        XCTAssertEqual(try fork.status(of: ids[2]).state, .queuedHeld, "held: it does not start")
        try fork.control(.release, ids[2])
        XCTAssertEqual(try fork.wait(for: [ids[2]], until: [.done, .failed], timeout: 30)[ids[2]]?.state, .done)
        XCTAssertThrowsError(try fork.control(.hold, ids[0])) { error in
            XCTAssertEqual((error as? PilotError)?.message, "fork://localhost: cannot hold job \(ids[0]): it is done")
        }
        try fork.delete(ids[0])
        XCTAssertFalse(try fork.jobs().contains(ids[0]))
        XCTAssertThrowsError(try fork.status(of: ids[0])) { error in XCTAssertEqual((error as? PilotError)?.code, .notFound) }
        var missing = JobDescription(executable: "/nonexistent/program")
        // Its output files are created before the program is looked for: not in the current directory.
        missing.workingDirectory = TemporaryDirectory.make()
        XCTAssertThrowsError(try fork.submit(missing)) { error in
            XCTAssertTrue((error as? PilotError)?.message.hasSuffix("executable not found: /nonexistent/program (No such file or directory)") == true, "\(error)")
        }
    }

    /// A manager's command that hangs is killed at its time limit: no call waits forever.
    func testAHungCommandIsKilledInTime() {
        let began = WallClock.monotonic()
        switch Subprocess.run(["sleep", "30"], timeout: 0.5) {
        case .success(let result): XCTFail("sleep should not finish: \(result)")
        case .failure(let failure): XCTAssertEqual(failure.reason, "sleep did not finish within 0.5 s and was killed")
        }
        XCTAssertLessThan(WallClock.monotonic() - began, 3)
    }
}
