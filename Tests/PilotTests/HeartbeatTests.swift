import Glibc
import Pilot
import XCTest

/// Heartbeats both ways: a silent agent is declared lost; an agent whose
/// manager is gone exits and takes its units with it.
final class HeartbeatTests: XCTestCase {
    /// A stopped (silent, but alive) agent fails its pilot after the heartbeat timeout.
    func testSilentAgentIsDeclaredLost() throws {
        var options = SessionOptions()
        options.heartbeatInterval = 0.2
        options.heartbeatTimeout = 1
        let fixture = try forkPilot(slots: 1, options: options)
        let unit = try fixture.pilot.submit(["executable": "/bin/sleep", "arguments": ["60"]])
        XCTAssertTrue(Processes.eventually(within: 10) { (try? unit.state()) == .running })
        let agent = try XCTUnwrap(Int32(XCTUnwrap(fixture.pilot.details().nativeID)))
        kill(agent, SIGSTOP)
        defer { kill(agent, SIGKILL) }
        XCTAssertEqual(try unit.wait(timeout: 10), .failed)
        XCTAssertEqual(try fixture.pilot.state(), .failed)
        XCTAssertEqual(try fixture.pilot.details().reason?.hasPrefix("agent lost: no heartbeat from the agent for "), true)
        XCTAssertTrue(Processes.eventually(within: 2) { Processes.running(under: fixture.directory).allSatisfy { $0 == agent } })
    }
}
