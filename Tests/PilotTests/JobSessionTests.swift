import Pilot
import XCTest

/// The job API of the Swift face: `JobSession` with `import Pilot` alone.
final class JobSessionTests: XCTestCase {
    /// A job and an array on local processes: ids, states, exit status, output, load.
    func testJobsThroughTheSwiftAPI() throws {
        let directory = TemporaryDirectory.make()
        let jobs = try JobSession(url: "fork://localhost")
        XCTAssertEqual(jobs.resource, "fork://localhost")
        var failing = JobDescription(executable: "/bin/sh", arguments: ["-c", "echo out; exit 3"])
        failing.workingDirectory = directory
        failing.output = directory + "/failing.out"
        let id = try jobs.submit(failing)
        XCTAssertEqual(try jobs.wait(for: [id], until: [.done, .failed], timeout: 30)[id]?.state, .failed)
        XCTAssertEqual(try jobs.status(of: id), JobStatus(.failed, native: "exited 3"))
        XCTAssertEqual(try jobs.info(of: id).exitStatus, 3)
        XCTAssertEqual(try jobs.peek(directory + "/failing.out", offset: 0, size: 100), "out\n")
        XCTAssertEqual(try jobs.outputFiles(of: id), [directory + "/failing.out", directory + "/job-\(id).err"])

        var task = JobDescription(executable: "/bin/true")
        task.workingDirectory = directory
        let tasks = try jobs.submit(task, array: JobArray(begin: 1, end: 3))
        XCTAssertEqual(tasks.count, 3)
        XCTAssertEqual(Set(try jobs.wait(for: tasks, until: [.done, .failed], timeout: 30).values.map(\.state)), [.done])
        try jobs.delete(tasks[0])
        XCTAssertEqual(try jobs.jobs(), [id] + tasks.dropFirst())
        XCTAssertEqual(try jobs.resourceStatus().running, 0)
        XCTAssertThrowsError(try jobs.control(.hold, id)) { error in
            XCTAssertEqual(error as? PilotError, PilotError(.invalidState, "fork://localhost: cannot hold job \(id): it is failed"))
        }
    }

    func testAnUnknownSchemeIsAClearError() {
        XCTAssertThrowsError(try JobSession(url: "gram://host")) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument)
            XCTAssertTrue((error as? PilotError)?.message.hasPrefix("service_url 'gram://host' has the unknown scheme 'gram'") == true, "\(error)")
        }
    }
}
