@testable import PilotCoordinator
import PilotLink
import PilotModel
import XCTest

/// Agents lost for good, or for a while: what happens to their units.
final class OutageSchedulingTests: XCTestCase {
    func testARestartableUnitMovesToAnotherPilotWhenItsAgentIsLost() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let first = try harness.pilot(in: pcs, slots: 1)
        let second = try harness.pilot(in: pcs, slots: 1)
        harness.connect(first)
        let units = try harness.submit(1, to: .service(cds), ["restartable": true])
        harness.started(units, on: first)
        harness.loseLink(of: first)
        XCTAssertEqual(harness.state(of: first), .failed)
        XCTAssertEqual(harness.reason(of: first), "agent lost: agent link closed")
        XCTAssertEqual(harness.state(of: units[0]), .new)
        let link = harness.connect(second)
        XCTAssertEqual(link.runs, units)
        XCTAssertEqual(harness.pilot(of: units[0]), second)
    }

    func testARunningUnitThatIsNotRestartableFailsWithItsPilot() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        harness.connect(pilot)
        let units = try harness.submit(1, to: .service(cds))
        harness.started(units, on: pilot)
        harness.loseLink(of: pilot)
        XCTAssertEqual(harness.state(of: units[0]), .failed)
        XCTAssertEqual(harness.reason(of: units[0]), "pilot \(pilot) ended: agent lost: agent link closed")
    }

    func testSentUnitsMayHaveRunSoOnlyRestartableOnesGoBackToTheQueue() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        harness.connect(pilot)
        let once = try harness.submit(1, to: .service(cds))
        let again = try harness.submit(1, to: .service(cds), ["restartable": true])
        let unsent = try harness.submit(1, to: .service(cds))
        XCTAssertEqual(harness.states(of: once + again + unsent), [.pending, .pending, .new])
        harness.loseLink(of: pilot)
        XCTAssertEqual(harness.states(of: once + again + unsent), [.failed, .new, .new],
                       "a sent unit may have started unheard of: run at most once unless restartable")
    }

    func testWithinTheGraceThePilotWaitsAndItsAgentGetsWhatItLacks() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        harness.connect(pilot)
        let units = try harness.submit(2, to: .service(cds))
        harness.started([units[0]], on: pilot)
        harness.loseLink(of: pilot, grace: 30)
        XCTAssertEqual(harness.state(of: pilot), .running)
        XCTAssertEqual(harness.states(of: units), [.running, .pending])
        let relinked = harness.connect(pilot)
        harness.state.mutate {
            $0.inventory(running: [UnitStarted(id: units[0], pid: 100, time: 0)], queued: [], on: pilot)
        }
        XCTAssertEqual(relinked.runs, [units[1]], "the unit the agent never got is sent again, the running one is not")
        harness.alarms.ringAll()
        XCTAssertEqual(harness.state(of: pilot), .running, "the grace's alarm ends only the outage it was set for")
    }

    func testPastTheGraceThePilotFails() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let pilot = try harness.pilot(in: pcs, slots: 1)
        harness.connect(pilot)
        harness.loseLink(of: pilot, grace: 30)
        harness.alarms.ringAll()
        XCTAssertEqual(harness.state(of: pilot), .failed)
        XCTAssertEqual(harness.reason(of: pilot),
                       "agent lost: its agent did not link again within 30 s of losing its link (agent link closed)")
    }

    func testAStaleLinkLossIsIgnored() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let pilot = try harness.pilot(in: pcs, slots: 1)
        harness.connect(pilot)
        harness.state.mutate { $0.linkLost(pilot, link: LinkIDForTests.unused, reason: "old link", grace: 0) }
        XCTAssertEqual(harness.state(of: pilot), .running)
    }
}
