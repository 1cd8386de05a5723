import Glibc
import Pilot
import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// The job layer and batch pilots against the real SLURM that
/// `.ci/rm-up.sh` starts on loopback (.ci/rm/slurm-up.sh: one node
/// `localhost` with 2 cores, partition `debug`).
final class SlurmTests: XCTestCase {
    private let slurm = SlurmJobService(url: try! ServiceURL("slurm://localhost"))

    func testJobsRunAndReportTheirEnd() throws {
        try JobServiceScenarios(service: slurm).jobsRunAndReportTheirEnd()
    }

    func testAnArrayRunsAtMostMaxParallelTasks() throws {
        try JobServiceScenarios(service: slurm).arrayRunsAtMostMaxParallelTasks()
    }

    func testSuspendResumeAndTimeouts() throws {
        try JobServiceScenarios(service: slurm).suspendResumeAndTimeout()
    }

    func testHeldJobsAreListedCountedAndFailWhenTerminated() throws {
        try JobServiceScenarios(service: slurm).heldJobsAreListedCountedAndFailWhenTerminated()
    }

    func testAOneTaskArrayRunsAndASignalIsReported() throws {
        try JobServiceScenarios(service: slurm).oneTaskArrayRunsAndASignalIsReported()
    }

    /// SLURM refuses it at sbatch (EnforcePartLimits); a pending job whose
    /// reason is a per-job limit would be marked instead.
    func testARequestThatCanNeverRunSaysWhy() throws {
        let message = try JobServiceScenarios(service: slurm).aRequestThatCanNeverRunSaysWhy(containing: "More processors requested than permitted")
        XCTAssertTrue(message.hasPrefix("slurm://localhost: sbatch failed: "), message)
        for reason in ["PartitionTimeLimit", "QOSMaxCpuPerJobLimit", "AssocMaxNodePerJobLimit", "DependencyNeverSatisfied"] {
            XCTAssertTrue(SlurmJobService.meansNeverRuns(reason), reason)
        }
        for reason in ["Resources", "Priority", "JobHeldUser", "PartitionNodeLimit", "QOSMaxJobsPerUserLimit", "ReqNodeNotAvail"] {
            XCTAssertFalse(SlurmJobService.meansNeverRuns(reason), reason)
        }
    }

    /// A pending task of a running array, cancelled, has no record left in
    /// SLURM: it ends failed, not done (another task's record) or unknown.
    /// scancel is silent about a job that ended or never was; terminate is not.
    func testTerminatingAPendingTaskOfARunningArrayFailsIt() throws {
        let ids = try slurm.submit(JobServiceScenarios.job("sleep 30", in: TemporaryDirectory.make()), array: JobArray(begin: 1, end: 3, maxParallel: 1))
        defer { for id in ids { try? slurm.control(.terminate, id) } }
        _ = try slurm.wait(for: [ids[0]], until: [.running], timeout: 60)
        try slurm.control(.terminate, ids[1])
        XCTAssertEqual(try slurm.wait(for: [ids[1]], until: [.done, .failed], timeout: 30)[ids[1]]?.state, .failed)
        XCTAssertEqual(try slurm.status(of: ids[2]).state, .queued)
        XCTAssertThrowsError(try slurm.control(.terminate, ids[1])) { error in
            XCTAssertEqual((error as? PilotError)?.message, "slurm://localhost: job \(ids[1]) has already ended (CANCELLED)")
        }
        XCTAssertThrowsError(try slurm.control(.terminate, "999999")) { error in
            XCTAssertEqual((error as? PilotError)?.code, .notFound)
        }
    }

    /// A drained node's cores are not free.
    func testADrainedNodesCoresAreNotFree() throws {
        // Jobs of earlier tests may still be ending.
        XCTAssertTrue(Processes.eventually(within: 30) { (try? slurm.resourceStatus().freeSlots) == 2 })
        XCTAssertEqual(try Subprocess.run(["scontrol", "update", "nodename=localhost", "state=drain", "reason=pilot test"]).get().status, .exited(0))
        defer { _ = Subprocess.run(["scontrol", "update", "nodename=localhost", "state=resume"]) }
        let status = try slurm.resourceStatus()
        XCTAssertEqual(status.totalSlots, 2)
        XCTAssertEqual(status.freeSlots, 0)
    }

    func testSlurmSpecifics() throws {
        try checkSpecifics(of: slurm)
    }

    /// slurm+ssh://: the same commands on a login host (here this one,
    /// through the harness's sshd on 127.0.0.1:2222).
    func testTheSameCommandsRunOnALoginHostOverSsh() throws {
        let remote = try JobServices.service(for: ServiceURL("slurm+ssh://localhost:2222"))
        try JobServiceScenarios(service: remote).jobsRunAndReportTheirEnd()
        try checkSpecifics(of: remote)
    }

    /// SLURM's own words: native states, the partition, hold and release
    /// of a queued job, core counts, what it cannot do, ids it refuses.
    private func checkSpecifics(of slurm: any JobService) throws {
        let directory = TemporaryDirectory.make()
        let failing = try slurm.submit(JobServiceScenarios.job("exit 3", in: directory))
        XCTAssertEqual(try slurm.wait(for: [failing], until: [.done, .failed], timeout: 60)[failing], JobStatus(.failed, native: "FAILED"))
        XCTAssertEqual(try slurm.info(of: failing).queue, "debug")
        XCTAssertEqual(try slurm.info(of: failing).hosts, ["localhost"])
        var whole = JobServiceScenarios.job("sleep 600", in: directory)
        whole.slots = 2
        let running = try slurm.submit(whole)
        defer { try? slurm.control(.terminate, running) }
        let queued = try slurm.submit(whole)
        defer { try? slurm.control(.terminate, queued) }
        _ = try slurm.wait(for: [running], until: [.running], timeout: 60)
        try slurm.control(.hold, queued)
        XCTAssertEqual(try slurm.status(of: queued).state, .queuedHeld)
        try slurm.control(.release, queued)
        XCTAssertEqual(try slurm.status(of: queued), JobStatus(.queued, native: "PENDING"))
        XCTAssertEqual(try slurm.queues(), ["debug"])
        let status = try slurm.resourceStatus()
        XCTAssertEqual(status.totalSlots, 2)
        XCTAssertEqual(status.freeSlots, 0)
        XCTAssertGreaterThanOrEqual(status.queued, 1)
        XCTAssertThrowsError(try slurm.delete(failing)) { error in XCTAssertEqual((error as? PilotError)?.code, .unsupported) }
        XCTAssertThrowsError(try slurm.status(of: "12; rm -rf /")) { error in XCTAssertEqual((error as? PilotError)?.code, .invalidArgument) }
        try slurm.control(.terminate, running)
        XCTAssertEqual(try slurm.wait(for: [running], until: [.done, .failed], timeout: 60)[running]?.native, "CANCELLED")
    }

    private func slurmPilot(_ session: Session, slots: Int, directory: String) throws -> PilotCompute {
        try session.createPilotComputeService().createPilot([
            "service_url": "slurm://localhost", "number_of_processes": .int(Int64(slots)),
            "working_directory": .string(directory), "walltime": 10,
        ])
    }

    /// A 2-core pilot on slurm://localhost runs 100 units with the right
    /// outputs; after cancel its batch job is gone.
    func testAPilotInsideABatchJobRunsUnits() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let pilot = try slurmPilot(session, slots: 2, directory: directory)
        let units = try (0..<100).map { index in
            try pilot.submit(["executable": "/bin/echo", "arguments": [.string("unit \(index)")]])
        }
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 120), .done) }
        for (index, unit) in units.enumerated() {
            let sandbox = try XCTUnwrap(unit.details().workingDirectory)
            XCTAssertEqual(FileSystem.read(sandbox + "/stdout"), "unit \(index)\n")
        }
        XCTAssertTrue(Processes.eventually(within: 5) { (try? pilot.details().nativeState) == "RUNNING" }, "state_detail is SLURM's own")
        let job = try XCTUnwrap(pilot.details().nativeID)
        try pilot.cancel()
        XCTAssertEqual(try pilot.state(), .canceled)
        XCTAssertTrue(Processes.eventually(within: 30) { (try? self.slurm.status(of: job).state.isFinal) != false })
        XCTAssertFalse(try slurm.jobs().contains(job), "nothing left in the queue")
    }

    /// An MPI unit of 2 processes inside a SLURM pilot runs under mpirun
    /// with a machinefile of its slots: ranks 0 and 1 both report.
    func testAnMPIUnitRunsBothRanks() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let pilot = try slurmPilot(session, slots: 2, directory: directory)
        let unit = try pilot.submit([
            "executable": "/bin/sh", "arguments": ["-c", "echo rank $OMPI_COMM_WORLD_RANK of $OMPI_COMM_WORLD_SIZE"],
            "spmd_variation": "mpi", "number_of_processes": 2,
        ])
        XCTAssertEqual(try unit.wait(timeout: 120), .done, (try? unit.details().reason) ?? "")
        let sandbox = try XCTUnwrap(unit.details().workingDirectory)
        let lines = (FileSystem.read(sandbox + "/stdout") ?? "").split(separator: "\n").sorted()
        XCTAssertEqual(lines, ["rank 0 of 2", "rank 1 of 2"], FileSystem.read(sandbox + "/stderr") ?? "")
        // The node as SLURM names it (SLURMD_NODENAME), not the host name.
        XCTAssertEqual(FileSystem.read(sandbox + "/machinefile-\(unit.id)"), "localhost slots=2\n")
    }

    /// The agent reads its allocation from SLURM; with `launch_method` srun
    /// every unit is a job step of the pilot's job on its node.
    func testUnitsRunAsJobStepsWithLaunchMethodSrun() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let pilot = try session.createPilotComputeService().createPilot([
            "service_url": "slurm://localhost", "number_of_processes": 2,
            "working_directory": .string(directory), "walltime": 10, "launch_method": "srun",
        ])
        let units = try (0..<4).map { _ in
            try pilot.submit(["executable": "/bin/sh", "arguments": ["-c", "echo $SLURM_JOB_ID $SLURM_STEP_ID $PILOT_NODE"]])
        }
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 120), .done, (try? unit.details().reason) ?? "") }
        let job = try XCTUnwrap(pilot.details().nativeID)
        var steps: Set<String> = []
        for unit in units {
            let sandbox = try XCTUnwrap(unit.details().workingDirectory)
            let words = (FileSystem.read(sandbox + "/stdout") ?? "").split(separator: " ").map { $0.trimmed }
            XCTAssertEqual(words.count, 3, FileSystem.read(sandbox + "/stderr") ?? "")
            guard words.count == 3 else { continue }
            XCTAssertEqual(words[0], job)
            XCTAssertEqual(words[2], "localhost")
            steps.insert(words[1])
        }
        XCTAssertEqual(steps.count, 4, "one job step per unit: \(steps)")
        let log = FileSystem.read(directory + "/stderr-\(pilot.id)-agent.txt") ?? ""
        XCTAssertTrue(log.contains("allocation from SLURM: localhost (2)"), log)
    }

    /// scancel from outside: the pilot fails with the batch system's word
    /// for it, its units fail, waits return, within 15 s.
    func testABatchJobCancelledFromOutsideFailsThePilot() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        defer { session.close() }
        let pilot = try slurmPilot(session, slots: 1, directory: directory)
        let unit = try pilot.submit(["executable": "/bin/sleep", "arguments": ["600"]])
        XCTAssertTrue(Processes.eventually(within: 60) { (try? unit.state()) == .running })
        let job = try XCTUnwrap(pilot.details().nativeID)
        let began = WallClock.monotonic()
        XCTAssertEqual(try Subprocess.run(["scancel", job]).get().status, .exited(0))
        XCTAssertEqual(try unit.wait(timeout: 15), .failed)
        XCTAssertEqual(try pilot.wait(timeout: 15), .failed)
        XCTAssertLessThan(WallClock.monotonic() - began, 15)
        let reason = try XCTUnwrap(pilot.details().reason)
        XCTAssertTrue(reason.hasPrefix("slurm://localhost: batch job \(job) ended CANCELLED"), reason)
        XCTAssertEqual(try unit.details().reason, "pilot \(pilot.id) ended: \(reason)")
        XCTAssertEqual(try pilot.details().nativeState, "CANCELLED")
    }

    /// More cores than the cluster has: the batch system's own message, and
    /// the refused pilot leaves no sandbox behind.
    func testAPilotTooBigForTheClusterFailsWithSlurmsMessage() throws {
        let session = try Session()
        defer { session.close() }
        let directory = TemporaryDirectory.make()
        XCTAssertThrowsError(try slurmPilot(session, slots: 64, directory: directory)) { error in
            let message = (error as? PilotError)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("slurm://localhost: sbatch"), message)
            XCTAssertTrue(message.contains("sbatch: error: "), message)
        }
        XCTAssertEqual(FileSystem.entries(of: directory), [])
    }
}
