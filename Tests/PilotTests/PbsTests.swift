import PilotModel
import PilotResources
import XCTest

@testable import PilotResources

/// The PBS adaptor without a PBS server (Debian has none): its command
/// lines, and its reading of `qsub` and `qstat -f -x` output. The samples
/// below follow the output format of PBS Professional's qstat and qsub
/// (attribute lines `name = value`, continuations on tab-indented lines,
/// job ids `<sequence>.<server>`, array ids `<sequence>[].<server>`); they
/// were written by us from that documented format and from the layout of
/// recorded outputs published elsewhere, not recorded from a live server.
final class PbsTests: XCTestCase {
    private let finished = """
        Job Id: 4211.pbs01
            Job_Name = bj-41e0
            Job_Owner = alice@login1
            resources_used.walltime = 00:00:05
            job_state = F
            queue = workq
            server = pbs01
            ctime = Sun Nov 22 06:10:25 2026
            Error_Path = login1:/home/alice/run/stderr-agent.txt
            exec_host = node01/0*2+node02/0*2
            mtime = Sun Nov 22 06:10:31 2026
            Output_Path = login1:/home/alice/run/stdout-agent.txt
            Resource_List.ncpus = 4
            Resource_List.select = 2:ncpus=2:mpiprocs=2
            Resource_List.walltime = 00:10:00
            stime = Sun Nov 22 06:10:26 2026
            Variable_List = PBS_O_HOME=/home/alice,PBS_O_LANG=en_US.UTF-8,
        \tPBS_O_LOGNAME=alice,PBS_O_PATH=/usr/bin:/bin
            comment = Job run at Sun Nov 22 at 06:10 on (node01:ncpus=2)+(node02:ncpus=2) and finished
            Exit_status = 3

        Job Id: 4212.pbs01
            Job_Name = sweep
            job_state = Q
            queue = workq
            ctime = Sun Nov 22 06:11:00 2026
            Resource_List.ncpus = 1
            comment = Not Running: Insufficient amount of resource: ncpus

        Job Id: 4213.pbs01
            job_state = H
            queue = workq

        Job Id: 4214.pbs01
            job_state = R
            queue = long
            exec_host = node03/0
            stime = Sun Nov 22 06:12:00 2026
            Resource_List.ncpus = 1

        """

    func testQstatRecordsBecomeJobInfo() throws {
        let jobs = PbsJobService.parse(finished)
        XCTAssertEqual(jobs.map(\.id), ["4211.pbs01", "4212.pbs01", "4213.pbs01", "4214.pbs01"])
        XCTAssertEqual(jobs.map(\.status.state), [.failed, .queued, .queuedHeld, .running])
        XCTAssertEqual(jobs.map(\.status.native), ["F", "Q", "H", "R"])
        let done = jobs[0]
        XCTAssertEqual(done.exitStatus, 3)
        XCTAssertEqual(done.hosts, ["node01", "node02"])
        XCTAssertEqual(done.slots, 4)
        XCTAssertEqual(done.queue, "workq")
        XCTAssertNotNil(done.submissionTime)
        XCTAssertEqual(try XCTUnwrap(done.finishTime) - (try XCTUnwrap(done.dispatchTime)), 5)
        XCTAssertEqual(jobs[1].reason, "Not Running: Insufficient amount of resource: ncpus")
        XCTAssertNil(jobs[1].exitStatus)
        XCTAssertEqual(jobs[3].hosts, ["node03"])
    }

    /// What recorded `qstat -f` output of PBS Professional looks like beyond
    /// the manual (seen in recordings published with AiiDA's PBS Pro tests;
    /// this sample is ours, with the same layout): values wrap at a fixed
    /// width onto tab-indented lines, inside a word, before a space, or
    /// leaving a line holding only `)` or nothing; Torque lists exec_host one
    /// core at a time.
    func testWrappedValuesAreJoinedAsQstatSplitThem() throws {
        let wrapped = """
            Job Id: 5120.head
                Job_Name = wrapped
                job_state = R
                queue = Q_normal
                Error_Path = head.cluster:/scratch/bob/sweeps/temperature-300K/replica
            	-07/job.e5120
                exec_host = n17/0+n17/1+n18/0
                exec_vnode = (n17:ncpus=2)+(n18:ncpus=1
            	)
                Output_Path = head.cluster:/scratch/bob/sweeps/temperature-300K/replica-0
            	7/job.o5120
                Resource_List.ncpus = 3
                Variable_List = PBS_O_HOME=/home/bob,TOOL_HOME=/opt/Big
            	 Tool,PBS_O_HOST=head.cluster
                comment = Job run at Mon Nov 23 at 09:14 on (n17:ncpus=2)+(n18:ncpus=1)
            	

            """
        let records = PbsJobService.records(wrapped)
        XCTAssertEqual(records.count, 1)
        let fields = try XCTUnwrap(records.first?.fields)
        XCTAssertEqual(PbsJobService.outputPaths(fields),
                       ["/scratch/bob/sweeps/temperature-300K/replica-07/job.o5120", "/scratch/bob/sweeps/temperature-300K/replica-07/job.e5120"])
        XCTAssertEqual(fields["exec_vnode"], "(n17:ncpus=2)+(n18:ncpus=1)")
        XCTAssertEqual(fields["Variable_List"], "PBS_O_HOME=/home/bob,TOOL_HOME=/opt/Big Tool,PBS_O_HOST=head.cluster")
        let info = try XCTUnwrap(PbsJobService.parse(wrapped).first)
        XCTAssertEqual(info.hosts, ["n17", "n18"])
        XCTAssertEqual(info.reason, "Job run at Mon Nov 23 at 09:14 on (n17:ncpus=2)+(n18:ncpus=1)")
    }

    func testCommandLines() throws {
        var job = JobDescription(executable: "/opt/pilot/pilot-agent", arguments: ["--bootstrap", "/home/alice/run/bj-1/agent-bootstrap.json"])
        job.name = "bj-41e0c6a8-0c3d-4d46"
        job.slots = 4
        job.nodes = 2
        job.wallTimeMinutes = 90.5
        job.queue = "workq"
        job.project = "chem42"
        job.output = "/home/alice/run/out.txt"
        job.workingDirectory = "/home/alice/run/bj-1"
        job.held = true
        XCTAssertEqual(PbsJobService.submitArguments(job, array: nil), [
            "qsub", "-h", "-l", "select=2:ncpus=2:mpiprocs=2", "-l", "walltime=1:31:00", "-N", "bj-41e0c6a8-0c3d-4d46",
            "-o", "/home/alice/run/out.txt", "-j", "oe", "-q", "workq", "-A", "chem42",
        ])
        XCTAssertEqual(PbsJobService.submitArguments(JobDescription(executable: "/bin/true"), array: JobArray(begin: 1, end: 10, step: 2, maxParallel: 3)),
                       ["qsub", "-l", "select=1:ncpus=1:mpiprocs=1", "-J", "1-10:2%3"])
        XCTAssertEqual(PbsJobService.script(job, array: false), """
            #!/bin/sh
            cd '/home/alice/run/bj-1' || exit 1
            exec '/opt/pilot/pilot-agent' '--bootstrap' '/home/alice/run/bj-1/agent-bootstrap.json'

            """)
        XCTAssertEqual(try PbsJobService.controlArguments(.suspend, "4214.pbs01"), ["qsig", "-s", "suspend", "4214.pbs01"])
        XCTAssertEqual(try PbsJobService.controlArguments(.release, "4213.pbs01"), ["qrls", "4213.pbs01"])
        XCTAssertEqual(try PbsJobService.controlArguments(.terminate, "4300[7].pbs01"), ["qdel", "4300[7].pbs01"])
    }

    func testQsubOutputAndIds() throws {
        XCTAssertEqual(try PbsJobService.jobID("4211.pbs01\n"), "4211.pbs01")
        XCTAssertEqual(try PbsJobService.jobID("4300[].pbs01\n"), "4300[].pbs01")
        XCTAssertThrowsError(try PbsJobService.jobID("qsub: Unknown queue\n")) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument)
        }
        XCTAssertThrowsError(try PbsJobService.controlArguments(.hold, "12; rm -rf ~")) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument)
        }
        XCTAssertEqual(PbsJobService.state("S"), .suspended)
        XCTAssertEqual(PbsJobService.state("E"), .running)
        XCTAssertEqual(PbsJobService.state("C"), .done)
    }
}
