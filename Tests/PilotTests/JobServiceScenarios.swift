import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// The job API's acceptance, run against each adaptor: submit, state, info
/// with the exit status, terminate; an array of 10 with at most 2 running;
/// suspend and resume; a wait that times out in time; held jobs listed and
/// counted task by task, then terminated while queued; a one-task array; a
/// script killed by a signal; a request the resource can never meet.
struct JobServiceScenarios {
    let service: any JobService

    /// A job running `script` with /bin/sh in `directory`.
    static func job(_ script: String, in directory: String) -> JobDescription {
        var job = JobDescription(executable: "/bin/sh", arguments: ["-c", script])
        job.workingDirectory = directory
        job.output = directory + "/out-\(UInt32.random(in: 0...UInt32.max)).txt"
        return job
    }

    func jobsRunAndReportTheirEnd() throws {
        let directory = TemporaryDirectory.make()
        let quick = try service.submit(Self.job("echo hello; exit 3", in: directory))
        let ended = try service.wait(for: [quick], until: [.done, .failed], timeout: 60)
        XCTAssertEqual(ended[quick]?.state, .failed)
        let info = try service.info(of: quick)
        XCTAssertEqual(info.exitStatus, 3)
        XCTAssertFalse(info.hosts.isEmpty)
        XCTAssertNotNil(info.submissionTime)
        XCTAssertNotNil(info.finishTime)
        let output = try XCTUnwrap(service.outputFiles(of: quick).first)
        XCTAssertEqual(try service.peek(output, offset: 0, size: 100), "hello\n")
        XCTAssertEqual(try service.peek(output, offset: -3, size: 2), "lo")
        let fine = try service.submit(Self.job("true", in: directory))
        XCTAssertEqual(try service.wait(for: [fine], until: [.done, .failed], timeout: 60)[fine]?.state, .done)

        let long = try service.submit(Self.job("sleep 600", in: directory))
        _ = try service.wait(for: [long], until: [.running], timeout: 60)
        try service.control(.terminate, long)
        XCTAssertEqual(try service.wait(for: [long], until: [.done, .failed], timeout: 60)[long]?.state, .failed)
    }

    func arrayRunsAtMostMaxParallelTasks() throws {
        let directory = TemporaryDirectory.make()
        let script = "echo start $(date +%s.%N) >> \(directory)/log; echo $PILOT_TASK_INDEX > \(directory)/index-$PILOT_TASK_INDEX; sleep 0.5; echo end $(date +%s.%N) >> \(directory)/log"
        let ids = try service.submit(Self.job(script, in: directory), array: JobArray(begin: 1, end: 10, maxParallel: 2))
        XCTAssertEqual(ids.count, 10)
        _ = try service.wait(for: ids, until: [.done, .failed, .undetermined], timeout: 120)
        for index in 1...10 {
            XCTAssertEqual(FileSystem.read(directory + "/index-\(index)"), "\(index)\n")
        }
        var running = 0, most = 0
        let events = (FileSystem.read(directory + "/log") ?? "").split(separator: "\n").compactMap { line -> (Double, Int)? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let time = Double(parts[1]) else { return nil }
            return (time, parts[0] == "start" ? 1 : -1)
        }.sorted { $0.0 < $1.0 }
        XCTAssertEqual(events.count, 20)
        for (_, change) in events {
            running += change
            most = max(most, running)
        }
        XCTAssertLessThanOrEqual(most, 2)
        XCTAssertThrowsError(try service.submit(Self.job("true", in: directory), array: JobArray(begin: 5, end: 1))) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument)
        }
    }

    func suspendResumeAndTimeout() throws {
        let directory = TemporaryDirectory.make()
        let long = try service.submit(Self.job("sleep 600", in: directory))
        defer { try? service.control(.terminate, long) }
        _ = try service.wait(for: [long], until: [.running], timeout: 60)
        try service.control(.suspend, long)
        XCTAssertEqual(try service.status(of: long).state, .suspended)
        try service.control(.resume, long)
        XCTAssertEqual(try service.status(of: long).state, .running)
        XCTAssertTrue(try service.jobs().contains(long))
        XCTAssertFalse(try service.queues().isEmpty)
        XCTAssertGreaterThanOrEqual(try service.resourceStatus().running, 1)

        let began = WallClock.monotonic()
        XCTAssertThrowsError(try service.wait(for: [long], until: [.done], timeout: 1)) { error in
            XCTAssertEqual((error as? PilotError)?.code, .timeout)
        }
        XCTAssertLessThan(WallClock.monotonic() - began, 3)
    }

    /// A held job and a held array of 3 are the user's jobs (each task by
    /// the id submit returned) and 4 queued ones; terminated while queued,
    /// each ends failed, never done.
    func heldJobsAreListedCountedAndFailWhenTerminated() throws {
        var held = Self.job("true", in: TemporaryDirectory.make())
        held.held = true
        let all = try [service.submit(held)] + service.submit(held, array: JobArray(begin: 1, end: 3))
        defer { for id in all { try? service.control(.terminate, id) } }
        let waiting = try service.wait(for: all, until: [.queued, .queuedHeld], timeout: 30)
        XCTAssertEqual(waiting[all[0]]?.state, .queuedHeld)
        let listed = try service.jobs()
        for id in all { XCTAssertTrue(listed.contains(id), "\(id) is not among the user's jobs: \(listed)") }
        XCTAssertGreaterThanOrEqual(try service.resourceStatus().queued, 4)
        for id in all { try service.control(.terminate, id) }
        let ended = try service.wait(for: all, until: [.done, .failed], timeout: 60)
        for id in all {
            XCTAssertEqual(ended[id]?.state, .failed, "\(id) ended \(ended[id]?.native ?? "?")")
            XCTAssertNil(try service.info(of: id).exitStatus, "\(id) never ran")
        }
    }

    /// An array of one task (begin == end) runs that task; a script that
    /// kills itself with SIGKILL fails, and the signal is reported.
    func oneTaskArrayRunsAndASignalIsReported() throws {
        let directory = TemporaryDirectory.make()
        let one = try service.submit(Self.job("echo $PILOT_TASK_INDEX > \(directory)/index", in: directory), array: JobArray(begin: 3, end: 3))
        XCTAssertEqual(one.count, 1)
        let killed = try service.submit(Self.job("kill -KILL $$", in: directory))
        let ended = try service.wait(for: one + [killed], until: [.done, .failed], timeout: 90)
        XCTAssertEqual(ended[one[0]]?.state, .done)
        XCTAssertEqual(FileSystem.read(directory + "/index"), "3\n")
        XCTAssertEqual(ended[killed]?.state, .failed)
        XCTAssertEqual(try service.info(of: killed).terminatingSignal, 9)
    }

    /// 999 cores: refused at submit with the manager's reason, or accepted
    /// and marked as never running within `within` seconds, with its
    /// reason. Returns the manager's words, which must contain `words`.
    @discardableResult
    func aRequestThatCanNeverRunSaysWhy(containing words: String, within: Double = 10) throws -> String {
        var huge = Self.job("true", in: TemporaryDirectory.make())
        huge.slots = 999
        let id: String
        do throws(PilotError) {
            id = try service.submit(huge)
        } catch {
            XCTAssertEqual(error.code, .backend)
            XCTAssertTrue(error.message.contains(words), error.message)
            return error.message
        }
        defer { try? service.control(.terminate, id) }
        var info = try service.info(of: id)
        let began = WallClock.monotonic()
        while !info.cannotRun, WallClock.monotonic() - began < within {
            Sleep.seconds(0.5)
            info = try service.info(of: id)
        }
        XCTAssertTrue(info.cannotRun, "job \(id) is \(info.status.native): \(info.reason ?? "no reason")")
        let reason = info.reason ?? ""
        XCTAssertTrue(reason.contains(words), reason)
        // A wait for its end would last for ever: it says so at once.
        XCTAssertThrowsError(try service.wait(for: [id], until: [.done, .failed], timeout: 60)) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidState)
            XCTAssertTrue((error as? PilotError)?.message.contains("job \(id) can never run (\(reason))") == true, "\(error)")
        }
        return reason
    }
}
