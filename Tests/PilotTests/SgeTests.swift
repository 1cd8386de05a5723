import Glibc
import Pilot
import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// The job layer and batch pilots against the real Grid Engine that
/// `.ci/rm-up.sh` starts (.ci/rm/sge-up.sh: queue `all.q` with 2
/// slots on this host, parallel environment `smp`).
final class SgeTests: XCTestCase {
    private let sge = SgeJobService(url: try! ServiceURL("sge://localhost"))

    func testJobsRunAndReportTheirEnd() throws {
        try JobServiceScenarios(service: sge).jobsRunAndReportTheirEnd()
    }

    func testAnArrayRunsAtMostMaxParallelTasks() throws {
        try JobServiceScenarios(service: sge).arrayRunsAtMostMaxParallelTasks()
    }

    func testSuspendResumeAndTimeouts() throws {
        try JobServiceScenarios(service: sge).suspendResumeAndTimeout()
    }

    func testHeldJobsAreListedCountedAndFailWhenTerminated() throws {
        try JobServiceScenarios(service: sge).heldJobsAreListedCountedAndFailWhenTerminated()
    }

    func testAOneTaskArrayRunsAndASignalIsReported() throws {
        try JobServiceScenarios(service: sge).oneTaskArrayRunsAndASignalIsReported()
    }

    /// qsub -w e refuses what no queue could ever take.
    func testARequestThatCanNeverRunSaysWhy() throws {
        let message = try JobServiceScenarios(service: sge).aRequestThatCanNeverRunSaysWhy(containing: "no suitable queues")
        XCTAssertTrue(message.hasPrefix("sge://localhost: qsub failed: "), message)
    }

    /// A job Grid Engine put in an error state (its default output file's
    /// name is too long to open) will not start by itself: it is marked as
    /// never running, with Grid Engine's reason.
    func testAJobInAnErrorStateCannotRunAndSaysWhy() throws {
        var job = JobServiceScenarios.job("true", in: TemporaryDirectory.make())
        job.output = nil
        job.name = String(repeating: "x", count: 300)
        let id = try sge.submit(job)
        defer { try? sge.control(.terminate, id) }
        XCTAssertTrue(Processes.eventually(within: 60) { (try? sge.info(of: id).cannotRun) == true })
        let info = try sge.info(of: id)
        XCTAssertEqual(info.status.native, "Eqw")
        XCTAssertTrue(info.reason?.hasPrefix("error: can't open output file") == true, info.reason ?? "no reason")
        XCTAssertThrowsError(try sge.wait(for: [id], until: [.done, .failed], timeout: 60)) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidState)
        }
    }

    /// A disabled queue instance's slots are not free (qstat -g c counts
    /// them under cdsuE, not AVAIL).
    func testADisabledQueuesSlotsAreNotFree() throws {
        // Jobs of earlier tests may still be ending.
        XCTAssertTrue(Processes.eventually(within: 30) { (try? sge.resourceStatus().freeSlots) == 2 })
        let root = ["SGE_ROOT=/var/lib/gridengine", "SGE_CELL=default"]
        XCTAssertEqual(try Subprocess.run(["qmod", "-d", "all.q"], environment: root).get().status, .exited(0))
        defer { _ = Subprocess.run(["qmod", "-e", "all.q"], environment: root) }
        let status = try sge.resourceStatus()
        XCTAssertEqual(status.totalSlots, 2)
        XCTAssertEqual(status.freeSlots, 0)
    }

    /// A pilot bigger than every queue fails at submit with Grid Engine's
    /// reason and leaves no sandbox.
    func testAPilotThatCanNeverRunFailsWithGridEnginesReason() throws {
        let session = try Session()
        defer { session.close() }
        let directory = TemporaryDirectory.make()
        XCTAssertThrowsError(try session.createPilotComputeService().createPilot([
            "service_url": "sge://localhost", "number_of_processes": 999, "working_directory": .string(directory),
        ])) { error in
            let message = (error as? PilotError)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("sge://localhost: qsub failed: "), message)
            XCTAssertTrue(message.contains("no suitable queues"), message)
        }
        XCTAssertEqual(FileSystem.entries(of: directory), [])
    }

    func testGridEngineSpecifics() throws {
        try checkSpecifics(of: sge)
    }

    /// sge+ssh://: the same commands on a login host (here this one, through
    /// the harness's sshd, whose login environment has no SGE_ROOT).
    func testTheSameCommandsRunOnALoginHostOverSsh() throws {
        let remote = try JobServices.service(for: ServiceURL("sge+ssh://localhost:2222"))
        try JobServiceScenarios(service: remote).jobsRunAndReportTheirEnd()
        try checkSpecifics(of: remote)
    }

    /// Grid Engine's own words: state codes, hold and release of a queued
    /// job, the queue list, core counts, what it cannot do, ids it refuses.
    private func checkSpecifics(of sge: any JobService) throws {
        let directory = TemporaryDirectory.make()
        var whole = JobServiceScenarios.job("sleep 600", in: directory)
        whole.slots = 2
        let running = try sge.submit(whole)
        defer { try? sge.control(.terminate, running) }
        let queued = try sge.submit(whole)
        defer { try? sge.control(.terminate, queued) }
        // "t" (being transferred to the host) comes before "r"; both are running.
        let started = try XCTUnwrap(sge.wait(for: [running], until: [.running], timeout: 60)[running])
        XCTAssertTrue(["r", "t"].contains(started.native), started.native)
        XCTAssertEqual(try sge.status(of: queued), JobStatus(.queued, native: "qw"))
        try sge.control(.hold, queued)
        XCTAssertEqual(try sge.status(of: queued), JobStatus(.queuedHeld, native: "hqw"))
        try sge.control(.release, queued)
        XCTAssertEqual(try sge.status(of: queued).state, .queued)
        XCTAssertEqual(try sge.info(of: running).slots, 2)
        XCTAssertEqual(try sge.info(of: running).queue, "all.q")
        XCTAssertEqual(try sge.queues(), ["all.q"])
        let status = try sge.resourceStatus()
        XCTAssertEqual(status.totalSlots, 2)
        XCTAssertEqual(status.freeSlots, 0)
        XCTAssertGreaterThanOrEqual(status.queued, 1)
        XCTAssertTrue(try sge.jobs().contains(queued))
        XCTAssertThrowsError(try sge.delete(running)) { error in XCTAssertEqual((error as? PilotError)?.code, .unsupported) }
        XCTAssertThrowsError(try sge.status(of: "7 -u root")) { error in XCTAssertEqual((error as? PilotError)?.code, .invalidArgument) }
    }

    /// A 2-core pilot on sge://localhost runs 100 units with the right
    /// outputs; after cancel its job is gone.
    func testAPilotInsideAGridEngineJobRunsUnits() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let pilot = try session.createPilotComputeService().createPilot([
            "service_url": "sge://localhost", "number_of_processes": 2, "working_directory": .string(directory), "walltime": 10,
        ])
        let units = try (0..<100).map { index in
            try pilot.submit(["executable": "/bin/echo", "arguments": [.string("unit \(index)")]])
        }
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 180), .done) }
        for (index, unit) in units.enumerated() {
            let sandbox = try XCTUnwrap(unit.details().workingDirectory)
            XCTAssertEqual(FileSystem.read(sandbox + "/stdout"), "unit \(index)\n")
        }
        // The agent offers the slots of the parallel environment's host file.
        let log = FileSystem.read(directory + "/stderr-\(pilot.id)-agent.txt") ?? ""
        XCTAssertTrue(log.contains("allocation from Grid Engine: "), log)
        XCTAssertTrue(Processes.eventually(within: 5) { (try? pilot.details().nativeState) == "r" }, "state_detail is Grid Engine's own")
        let job = try XCTUnwrap(pilot.details().nativeID)
        try pilot.cancel()
        XCTAssertEqual(try pilot.state(), .canceled)
        XCTAssertTrue(Processes.eventually(within: 60) { (try? self.sge.jobs().contains(job)) == false }, "nothing left in the queue")
    }
}
