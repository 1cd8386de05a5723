import Glibc
import Pilot
import PilotModel
import PilotSystem
import XCTest

/// Time limits on units, wall time on pilots, and units that may run again
/// elsewhere when their pilot goes.
final class WallTimeTests: XCTestCase {
    /// A unit that runs past its wall_time_limit is killed with its whole
    /// process tree and ends Failed with reason "timeout ...".
    func testUnitPastItsTimeLimitIsKilled() throws {
        let fixture = try forkPilot(slots: 1)
        let began = WallClock.monotonic()
        let unit = try fixture.pilot.submit([
            "executable": "/bin/sh", "arguments": ["-c", "sleep 600 & sleep 600; wait"], "wall_time_limit": 0.02,
        ])
        XCTAssertEqual(try unit.wait(timeout: 10), .failed)
        XCTAssertEqual(try unit.details().reason, "timeout: ran past its wall_time_limit of 1.2 s and was killed")
        XCTAssertGreaterThan(WallClock.monotonic() - began, 1.1)
        XCTAssertLessThan(WallClock.monotonic() - began, 5)
        let sandbox = try XCTUnwrap(unit.details().workingDirectory)
        XCTAssertTrue(Processes.eventually(within: 2) { Processes.running(under: sandbox).isEmpty })
    }

    /// At its wall time a pilot ends Done; its running unit is Failed, a
    /// restartable one goes back to the service and finishes on the next pilot.
    func testPilotEndsAtItsWallTime() throws {
        let began = WallClock.monotonic()
        let (pilots, service, first, directory) = try servicePilot(slots: 2, walltime: 0.03)
        let stuck = try service.submit(["executable": "/bin/sleep", "arguments": ["600"]])
        let again = try service.submit(rerunnable(marker: directory + "/marker"))
        XCTAssertTrue(Processes.eventually(within: 10) { (try? again.state()) == .running && (try? stuck.state()) == .running })
        let left = try XCTUnwrap(first.details().wallTimeLeft)
        XCTAssertTrue(left > 0 && left <= 1.8, "wall time left \(left)")
        XCTAssertTrue(Processes.eventually(within: 10) { (try? first.state()) == .done })
        XCTAssertLessThan(WallClock.monotonic() - began, 8)
        XCTAssertEqual(try first.details().reason, "wall time of 1.8 s reached")
        XCTAssertEqual(try stuck.state(), .failed)
        XCTAssertEqual(try stuck.details().reason, "pilot \(first.id) ended: wall time of 1.8 s reached")
        let sandbox = try XCTUnwrap(stuck.details().workingDirectory)
        XCTAssertTrue(Processes.eventually(within: 2) { Processes.running(under: sandbox).isEmpty }, "the unit was killed")
        XCTAssertEqual(try again.state(), .new, "restartable: back in the service's queue")
        let second = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 1, "working_directory": .string(directory),
        ])
        XCTAssertEqual(try again.wait(timeout: 20), .done)
        XCTAssertEqual(try again.details().pilotID, second.id)
    }

    /// A killed agent: its restartable units finish on another pilot, the
    /// others fail with "agent lost"; no wait hangs.
    func testRestartableUnitsMoveOnWhenTheirAgentIsKilled() throws {
        let fixture = try forkPilot(slots: 2)
        let service = try fixture.computeService()
        let again = try service.submit(rerunnable(marker: fixture.directory + "/marker"))
        let once = try service.submit(["executable": "/bin/sleep", "arguments": ["600"]])
        XCTAssertTrue(Processes.eventually(within: 10) { (try? again.state()) == .running && (try? once.state()) == .running })
        let second = try fixture.pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 1, "working_directory": .string(fixture.directory),
        ])
        XCTAssertEqual(try second.waitUntilStarted(timeout: 20), .running)
        let agent = try XCTUnwrap(Int32(XCTUnwrap(fixture.pilot.details().nativeID)))
        let began = WallClock.monotonic()
        kill(agent, SIGKILL)
        XCTAssertEqual(try once.wait(timeout: 10), .failed)
        let reason = try XCTUnwrap(once.details().reason)
        XCTAssertTrue(reason.contains("agent lost"), reason)
        XCTAssertEqual(try again.wait(timeout: 10), .done)
        XCTAssertEqual(try again.details().pilotID, second.id)
        XCTAssertLessThan(WallClock.monotonic() - began, 10)
        try service.wait(timeout: 5)
    }

    /// A pilot does not take a unit whose declared duration exceeds its
    /// remaining wall time; shorter ones it runs.
    func testPilotSkipsUnitsThatCannotFinishInItsWallTime() throws {
        let (_, service, pilot, _) = try servicePilot(slots: 1, walltime: 0.1)
        let long = try service.submit(["executable": "/bin/true", "duration": 60])
        XCTAssertEqual(try long.state(), .new)
        // Each scheduling pass of the pilot (at this submission, at its end) leaves the long one.
        let short = try pilot.submit(["executable": "/bin/true", "duration": 1])
        XCTAssertEqual(try short.wait(timeout: 10), .done)
        XCTAssertEqual(try long.state(), .new, "still waiting for a pilot with time for it")
    }

    /// A running fork pilot with `walltime` (minutes) in a new session, its
    /// PCS, a late-binding service it feeds, and the pilots' directory.
    private func servicePilot(slots: Int, walltime: Double) throws
        -> (PilotComputeService, ComputeDataService, PilotCompute, String) {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        addTeardownBlock { session.close() }
        let pilots = try session.createPilotComputeService()
        let service = try session.createComputeDataService()
        try service.add(pilots)
        let pilot = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": .int(Int64(slots)),
            "working_directory": .string(directory), "walltime": .double(walltime),
        ])
        XCTAssertEqual(try pilot.waitUntilStarted(timeout: 20), .running)
        return (pilots, service, pilot, directory)
    }

    /// A restartable unit that sleeps on its first run and succeeds at once
    /// on the next (the marker file tells them apart).
    private func rerunnable(marker: String) -> JSONValue {
        [
            "executable": "/bin/sh", "restartable": true, "environment": ["MARK": .string(marker)],
            "arguments": ["-c", "if [ -e \"$MARK\" ]; then exit 0; fi; touch \"$MARK\"; exec sleep 600"],
        ]
    }
}
