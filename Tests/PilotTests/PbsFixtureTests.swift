import PilotModel
import PilotSystem
import XCTest

@testable import PilotResources

/// The PBS parser on outputs recorded from a real OpenPBS server
/// (Fixtures/pbs, see Fixtures/README.md): every end a job can have.
final class PbsFixtureTests: XCTestCase {
    func testAJobRootDeletedWhileRunningFailedThoughItsExitStatusIsZero() throws {
        let job = try record("qstat-xf-deleted")
        XCTAssertEqual(job.status, JobStatus(.failed, native: "F"))
        XCTAssertEqual(job.exitStatus, 0)
        XCTAssertEqual(job.reason, "Job run at Mon Nov 30 at 13:12 on (vm-pbs:ncpus=1) and terminated by root@vm-pbs")
    }

    func testAJobItsOwnerDeletedFailedBySignal15() throws {
        try assertEnd("qstat-xf-deleted-user", .failed, exit: 271, signal: 15)
    }

    func testAJobDeletedWhileQueuedFailedWithoutExitStatus() throws {
        let job = try record("qstat-xf-deleted-queued")
        XCTAssertEqual(job.status.state, .failed)
        XCTAssertNil(job.exitStatus)
        XCTAssertEqual(job.reason, "Not Running: Not enough free nodes available and terminated")
    }

    /// Every state the recorded server showed, with its native letter.
    func testEveryRecordedStateHasItsDrmaaState() throws {
        let expected: [(String, JobState, String)] = [
            ("qstat-f-queued", .queued, "Q"), ("qstat-f-held", .queuedHeld, "H"), ("qstat-f-released", .queued, "Q"),
            ("qstat-f-running", .running, "R"), ("qstat-f-suspended", .suspended, "S"), ("qstat-f-resumed", .running, "R"),
            ("qstat-f-array-parent", .running, "B"), ("qstat-f-array-maxrun-parent", .running, "B"),
            ("qstat-f-array-subjob-queued", .queued, "Q"), ("qstat-xf-array-parent-finished", .done, "F"),
        ]
        for (name, state, native) in expected {
            XCTAssertEqual(try record(name).status, JobStatus(state, native: native), name)
        }
        let step = PbsJobService.parse(try fixture("qstat-xf-t-array-step"))
        XCTAssertEqual(step.map(\.id), ["11[].vm-pbs", "11[2].vm-pbs", "11[5].vm-pbs", "11[8].vm-pbs"])
        XCTAssertEqual(Set(step.map(\.status.state)), [.done])
        XCTAssertEqual(PbsJobService.queueNames(try fixture("qstat-Q")), ["workq"])
    }

    func testFinishedJobsAreDoneOnlyWithExitStatusZero() throws {
        XCTAssertEqual(try record("qstat-xf-finished-exit0").status.state, .done)
        try assertEnd("qstat-xf-finished-exit3", .failed, exit: 3, signal: nil)
    }

    /// PBS's -29 is the MOM's code for a walltime kill, not an exit status.
    func testAWalltimeKillIsNotAnExitStatus() throws {
        let job = try record("qstat-xf-walltime-exceeded")
        XCTAssertEqual(job.status.state, .failed)
        XCTAssertNil(job.exitStatus)
        XCTAssertNil(job.terminatingSignal)
        XCTAssertTrue(job.reason?.hasSuffix("; PBS exit code -29") == true, job.reason ?? "")
    }

    /// A queued array task deleted is rewritten as finished with
    /// Exit_status 0 once its array ends (seen on the live server): it
    /// never ran anywhere, so it failed.
    func testAnArrayTaskThatNeverRanIsNotDone() throws {
        let text = try fixture("qstat-xf-array-subjob-finished").replacingOccurrences(of: "    exec_host = vm-pbs/0\n", with: "")
        XCTAssertFalse(text.contains("exec_host"))
        let task = try XCTUnwrap(PbsJobService.parse(text).first)
        XCTAssertEqual(task.status.state, .failed)
        XCTAssertNil(task.exitStatus)
        XCTAssertEqual(try record("qstat-xf-array-subjob-finished").status.state, .done)
    }

    func testHoldingOneArrayTaskIsRefusedWithTheWayOut() {
        XCTAssertThrowsError(try PbsJobService.controlArguments(.hold, "9[2].vm-pbs")) { error in
            XCTAssertEqual((error as? PilotError)?.message, "PBS holds and releases whole arrays, not one task (9[2].vm-pbs); hold the array 9[].vm-pbs instead")
        }
        XCTAssertEqual(try PbsJobService.controlArguments(.hold, "9[].vm-pbs"), ["qhold", "9[].vm-pbs"])
    }

    func testAScriptKilledBySignal9ReportsTheSignal() throws {
        try assertEnd("qstat-xf-finished-signal9", .failed, exit: 137, signal: 9)
    }

    func testAnArrayTaskEndsAtItsOwnObitTimeNotTheArraysLastChange() throws {
        let task = try record("qstat-xf-array-subjob-finished")
        XCTAssertEqual(task.status.state, .done)
        XCTAssertEqual(task.finishTime, HostCommands.ctime("Mon Nov 30 13:11:47 2026"))
        XCTAssertNotEqual(task.finishTime, HostCommands.ctime("Mon Nov 30 13:12:07 2026"))
    }

    func testAJobThatCanNeverRunSaysSo() throws {
        let job = try record("qstat-f-never-runs")
        XCTAssertEqual(job.status.state, .queued)
        XCTAssertTrue(job.cannotRun)
        XCTAssertEqual(job.reason, "Can Never Run: Insufficient amount of resource: ncpus (R: 999 A: 2 T: 2)")
        XCTAssertFalse(try record("qstat-f-running").cannotRun)
    }

    func testWrappedValuesAreJoined() throws {
        let fields = try XCTUnwrap(PbsJobService.records(try fixture("qstat-f-long-values")).first?.fields)
        XCTAssertEqual(PbsJobService.outputPaths(fields), [
            "/tmp/openpbs/samples-work/a-rather-long-directory-name-for-wrapping/another-long-directory-name-here/and-a-third-one-to-be-sure/this-is-the-output-file-of-the-job.txt",
            "/tmp/openpbs/samples-work/a-rather-long-directory-name-for-wrapping/another-long-directory-name-here/and-a-third-one-to-be-sure/this-is-the-error-file-of-the-job.txt",
        ])
    }

    func testJoinedStreamsHaveOneOutputFile() throws {
        var fields = try XCTUnwrap(PbsJobService.records(try fixture("qstat-xf-finished-exit0")).first?.fields)
        XCTAssertEqual(PbsJobService.outputPaths(fields).count, 2)
        fields["Join_Path"] = "oe"  // what `qsub -j oe` (output given, error not) records
        XCTAssertEqual(PbsJobService.outputPaths(fields), ["/tmp/openpbs/samples-work/exit0.o5"])
    }

    func testJobsAreListedByOwnerFromTheFullListing() throws {
        let listing = try fixture("qstat-f-running") + "\n" + (try fixture("qstat-f-never-runs"))
            .replacingOccurrences(of: "Job_Owner = root@vm-pbs", with: "Job_Owner = pbsuser@vm-pbs")
        XCTAssertEqual(PbsJobService.ids(ownedBy: "root", in: listing), ["2.vm-pbs"])
        XCTAssertEqual(PbsJobService.ids(ownedBy: "pbsuser", in: listing), ["21.vm-pbs"])
        XCTAssertEqual(PbsJobService.ids(ownedBy: nil, in: listing), ["2.vm-pbs", "21.vm-pbs"])
    }

    func testArrayTasksAreListedByTheirOwnIdsNotTheArrays() throws {
        XCTAssertEqual(PbsJobService.ids(ownedBy: "root", in: try fixture("qstat-f-t-array")),
                       ["9[1].vm-pbs", "9[2].vm-pbs", "9[3].vm-pbs", "9[4].vm-pbs"])
    }

    /// PBS refuses `-J 1-1` (recorded in qsub-errors): an array of one task
    /// is submitted as one job that knows its index.
    func testAOneTaskArrayIsOneJobWithItsIndex() throws {
        XCTAssertTrue(try fixture("qsub-errors").contains("$ echo 'sleep 1' | qsub -J 1-1\nstdout: \nstderr: qsub: illegal -J value"))
        let (arguments, script) = PbsJobService.submission(JobDescription(executable: "/bin/true"), array: JobArray(begin: 3, end: 3))
        XCTAssertEqual(arguments, ["qsub", "-l", "select=1:ncpus=1:mpiprocs=1"])
        XCTAssertEqual(script, "#!/bin/sh\nexport PILOT_TASK_INDEX='3'\nexec '/bin/true'\n")
        XCTAssertTrue(PbsJobService.submission(JobDescription(executable: "/bin/true"), array: JobArray(begin: 3, end: 4)).arguments.contains("3-4:1"))
    }

    /// A refusal names the command as far as its first option: the
    /// manager's message, not every option value, is what the reader needs.
    func testAFailedCommandIsNamedWithoutItsOptionValues() {
        let qsub = PbsJobService.submission(JobDescription(executable: "/bin/true"), array: nil).arguments + ["-N", "sweep", "-q", "workq"]
        XCTAssertEqual(HostCommands.name(of: qsub), "qsub")
        XCTAssertEqual(HostCommands.name(of: ["qsig", "-s", "suspend", "4.vm-pbs"]), "qsig")
        XCTAssertEqual(HostCommands.name(of: ["qdel", "4.vm-pbs"]), "qdel 4.vm-pbs")
    }

    func testAPilotsFullNameIsKept() {
        var job = JobDescription(executable: "/bin/true")
        job.name = "bj-00000000-0000-4000-8000-000000000001"
        let arguments = PbsJobService.submitArguments(job, array: nil)
        XCTAssertEqual(arguments.firstIndex(of: "-N").map { arguments[$0 + 1] }, job.name)
    }

    func testResourceStatusCountsArrayTasksAndNotOfflineCores() throws {
        let nodes = try fixture("pbsnodes-a")
        let status = PbsJobService.resourceStatus(jobs: try fixture("qstat-f-t-array"), nodes: nodes)
        XCTAssertEqual(status, ResourceStatus(totalSlots: 2, freeSlots: 1, running: 2, queued: 2))
        let offline = nodes.replacingOccurrences(of: "state = free", with: "state = offline")
        XCTAssertEqual(PbsJobService.resourceStatus(jobs: "", nodes: offline), ResourceStatus(totalSlots: 2, freeSlots: 0, running: 0, queued: 0))
    }

    /// Grid Engine's `qsub` and `qstat` come first on PATH here (Debian's
    /// /usr/bin; .ci/rm-up.sh installs them): the PBS service says so instead
    /// of failing on their answers, and the Grid Engine service is content.
    func testAnotherManagersClientIsNamed() throws {
        let pbs = PbsJobService(url: try ServiceURL("pbs://localhost"))
        XCTAssertThrowsError(try pbs.submit(JobDescription(executable: "/bin/true"))) { error in
            XCTAssertEqual((error as? PilotError)?.message,
                           "pbs://localhost: the qstat first on PATH is not PBS's (it answers 'SGE 8.1.9'); put PBS's bin directory before it on PATH")
        }
        XCTAssertThrowsError(try pbs.jobs(), "no silent empty listing")
        XCTAssertNoThrow(try SgeJobService(url: try ServiceURL("sge://localhost")).queues())
    }

    /// The state, exit status and signal of fixture `name`'s one job.
    private func assertEnd(_ name: String, _ state: JobState, exit: Int32, signal: Int32?,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let job = try record(name)
        XCTAssertEqual(job.status.state, state, name, file: file, line: line)
        XCTAssertEqual(job.exitStatus, exit, name, file: file, line: line)
        XCTAssertEqual(job.terminatingSignal, signal, name, file: file, line: line)
    }

    /// The one job of fixture `name`.
    private func record(_ name: String) throws -> JobInfo {
        let jobs = PbsJobService.parse(try fixture(name))
        XCTAssertEqual(jobs.count, 1, name)
        return try XCTUnwrap(jobs.first)
    }

    private func fixture(_ name: String) throws -> String {
        let directory = String(#filePath.prefix(upTo: #filePath.lastIndex(of: "/") ?? #filePath.endIndex))
        return try XCTUnwrap(FileSystem.read(directory + "/Fixtures/pbs/\(name).txt"), name)
    }
}
