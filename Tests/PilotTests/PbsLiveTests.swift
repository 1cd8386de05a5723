import Pilot
import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// The shared job-API scenarios and PBS pilots against a live OpenPBS
/// server, which Debian does not package and CI cannot build: run them by
/// hand with the server's bin directory first on PATH
/// (`PATH=/opt/pbs/bin:$PATH swift test --filter PbsLiveTests`, see
/// docs/pbs.md); CI leaves this class out and runs PbsFixtureTests. Each
/// test fails, rather than skips, when no PBS server answers.
final class PbsLiveTests: XCTestCase {
    private let pbs = PbsJobService(url: try! ServiceURL("pbs://localhost"))

    /// The service's own check (which batch system's qstat answers) and a
    /// question only a running server answers.
    override func setUpWithError() throws {
        do {
            _ = try pbs.queues()
        } catch {
            throw PilotError(.backend, "no PBS server answers here (\(error.message)); start one and put its bin directory first on PATH (docs/pbs.md)")
        }
    }

    func testJobsRunAndReportTheirEnd() throws {
        try JobServiceScenarios(service: pbs).jobsRunAndReportTheirEnd()
    }

    func testAnArrayRunsAtMostMaxParallelTasks() throws {
        try JobServiceScenarios(service: pbs).arrayRunsAtMostMaxParallelTasks()
    }

    func testSuspendResumeAndTimeouts() throws {
        try JobServiceScenarios(service: pbs).suspendResumeAndTimeout()
    }

    func testHeldJobsAreListedCountedAndFailWhenTerminated() throws {
        try JobServiceScenarios(service: pbs).heldJobsAreListedCountedAndFailWhenTerminated()
    }

    func testAOneTaskArrayRunsAndASignalIsReported() throws {
        try JobServiceScenarios(service: pbs).oneTaskArrayRunsAndASignalIsReported()
    }

    /// PBS accepts it and its scheduler comments "Can Never Run".
    func testARequestThatCanNeverRunSaysWhy() throws {
        let reason = try JobServiceScenarios(service: pbs).aRequestThatCanNeverRunSaysWhy(containing: "Can Never Run: Insufficient amount of resource: ncpus (R: 999")
        XCTAssertTrue(reason.hasPrefix("Can Never Run"), reason)
    }

    /// Without an output path PBS writes `NAME.oID` where qsub ran: that is
    /// the job's working directory. Names keep their 230 characters.
    func testDefaultOutputLandsInTheWorkingDirectoryAndLongNamesAreKept() throws {
        let directory = TemporaryDirectory.make()
        var job = JobServiceScenarios.job("echo hello", in: directory)
        job.output = nil
        let name = String(repeating: "n", count: 230)
        job.name = name
        let id = try pbs.submit(job)
        XCTAssertEqual(try pbs.wait(for: [id], until: [.done, .failed], timeout: 60)[id]?.state, .done)
        let files = try pbs.outputFiles(of: id)
        XCTAssertEqual(files.count, 2)
        for file in files { XCTAssertTrue(file.hasPrefix(directory + "/" + name), file) }
        XCTAssertEqual(try pbs.peek(files[0], offset: 0, size: 100), "hello\n")
    }

    /// An offline node's cores are not free; its name is the first line of `pbsnodes -a`.
    func testAnOfflineNodesCoresAreNotFree() throws {
        let node = try XCTUnwrap(Subprocess.run(["pbsnodes", "-a"]).get().output.split(separator: "\n").first.map(String.init))
        XCTAssertTrue(Processes.eventually(within: 30) { (try? pbs.resourceStatus().freeSlots) ?? 0 > 0 })
        let before = try pbs.resourceStatus()
        XCTAssertEqual(try Subprocess.run(["pbsnodes", "-o", node]).get().status, .exited(0))
        defer { _ = Subprocess.run(["pbsnodes", "-r", node]) }
        let offline = try pbs.resourceStatus()
        XCTAssertEqual(offline.totalSlots, before.totalSlots)
        XCTAssertEqual(offline.freeSlots, 0)
    }

    /// A pilot of 2 processes runs 20 units; a pilot PBS can never run
    /// fails within a poll with PBS's comment; qdel from outside fails a
    /// running pilot with PBS's word for the end.
    func testPilotsRunFailAtOnceWhenTheyCanNeverRunAndFollowQdel() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let service = try session.createPilotComputeService()
        let pilot = try service.createPilot([
            "service_url": "pbs://localhost", "number_of_processes": 2, "working_directory": .string(directory), "walltime": 10,
        ])
        let units = try (0..<20).map { index in
            try pilot.submit(["executable": "/bin/echo", "arguments": [.string("unit \(index)")]])
        }
        for (index, unit) in units.enumerated() {
            XCTAssertEqual(try unit.wait(timeout: 120), .done)
            XCTAssertEqual(FileSystem.read(try XCTUnwrap(unit.details().workingDirectory) + "/stdout"), "unit \(index)\n")
        }

        let began = WallClock.monotonic()
        let huge = try service.createPilot([
            "service_url": "pbs://localhost", "number_of_processes": 999, "working_directory": .string(directory),
        ])
        XCTAssertEqual(try huge.waitUntilStarted(timeout: 30), .failed)
        XCTAssertLessThan(WallClock.monotonic() - began, 10)
        let reason = try XCTUnwrap(huge.details().reason)
        XCTAssertTrue(reason.contains("can never run (Can Never Run: Insufficient amount of resource: ncpus (R: 999"), reason)
        XCTAssertTrue(reason.hasSuffix("it was deleted"), reason)
        // Its sandbox and bootstrap are gone, as a refused pilot's would be; its log says what happened.
        XCTAssertTrue(Processes.eventually(within: 5) { !(FileSystem.entries(of: directory) ?? []).contains { $0.contains(huge.id) && !$0.hasSuffix(".log") } },
                      "\(FileSystem.entries(of: directory) ?? [])")

        let long = try pilot.submit(["executable": "/bin/sleep", "arguments": ["600"]])
        XCTAssertTrue(Processes.eventually(within: 30) { (try? long.state()) == .running })
        let job = try XCTUnwrap(pilot.details().nativeID)
        XCTAssertEqual(try Subprocess.run(["qdel", job]).get().status, .exited(0))
        XCTAssertEqual(try long.wait(timeout: 30), .failed)
        XCTAssertEqual(try pilot.wait(timeout: 30), .failed)
        let ended = try XCTUnwrap(pilot.details().reason)
        XCTAssertTrue(ended.hasPrefix("pbs://localhost: batch job \(job) ended F"), ended)
    }
}
