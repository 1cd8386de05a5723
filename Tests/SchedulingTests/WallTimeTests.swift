@testable import PilotCoordinator
import PilotLink
import PilotModel
import XCTest

/// A pilot's wall time: what it binds near the end, and how it ends.
final class WallTimeSchedulingTests: XCTestCase {
    func testAUnitThatCannotFinishInTheWallTimeIsLeftForOthers() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let short = try harness.pilot(in: pcs, slots: 1, walltime: 1)
        let long = try harness.pilot(in: pcs, slots: 1, walltime: 60)
        let shortLink = harness.connect(short)
        let units = try harness.submit(1, to: .service(cds), ["duration": 120])
        XCTAssertEqual(shortLink.runs, [])
        let longLink = harness.connect(long)
        XCTAssertEqual(longLink.runs, units)
    }

    func testTheWallTimeAlarmIsSetWhenThePilotStarts() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let pilot = try harness.pilot(in: pcs, walltime: 2)
        XCTAssertEqual(harness.alarms.delays, [])
        harness.connect(pilot)
        XCTAssertEqual(harness.alarms.delays, [120])
    }

    func testAtItsWallTimeThePilotStopsAndEndsDone() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1, walltime: 1)
        let link = harness.connect(pilot)
        let units = try harness.submit(3, to: .service(cds))
        harness.started([units[0]], on: pilot)
        harness.alarms.ringAll()
        XCTAssertEqual(link.shutdown, "wall time of 1 min reached")
        harness.finished([units[0]], on: pilot, .canceled)
        harness.finished([units[1]], on: pilot, .withdrawn)
        harness.loseLink(of: pilot)
        XCTAssertEqual(harness.state(of: pilot), .done)
        XCTAssertEqual(harness.reason(of: pilot), "wall time of 1 min reached")
        XCTAssertEqual(harness.state(of: units[0]), .failed)
        XCTAssertEqual(harness.reason(of: units[0]), "pilot \(pilot) ended: wall time of 1 min reached")
        XCTAssertEqual(harness.states(of: [units[1], units[2]]), [.new, .new], "unstarted units go back to the queue")
    }
}
