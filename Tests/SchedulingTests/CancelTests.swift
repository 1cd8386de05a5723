@testable import PilotCoordinator
import PilotLink
import PilotModel
import XCTest

/// Cancelling units, pilots and services without an agent process.
final class CancelSchedulingTests: XCTestCase {
    func testAQueuedUnitIsCanceledAtOnce() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let units = try harness.submit(1, to: .service(cds))
        harness.cancel(unit: units[0])
        XCTAssertEqual(harness.state(of: units[0]), .canceled)
        XCTAssertEqual(harness.reason(of: units[0]), "canceled by user")
    }

    func testABoundUnitIsCanceledByItsAgent() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        let link = harness.connect(pilot)
        let units = try harness.submit(1, to: .service(cds))
        harness.started(units, on: pilot)
        harness.cancel(unit: units[0])
        XCTAssertEqual(link.cancels, units)
        XCTAssertEqual(harness.state(of: units[0]), .running, "until the agent reports")
        harness.finished(units, on: pilot, .canceled)
        XCTAssertEqual(harness.state(of: units[0]), .canceled)
    }

    func testACanceledPilotStopsItsAgentAndCancelsItsUnits() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let pilot = try harness.pilot(in: pcs, slots: 1)
        let link = harness.connect(pilot)
        let units = try harness.submit(3, to: .pilot(pilot))
        harness.started([units[0]], on: pilot)
        let final = harness.state.mutate { registry in registry.pilots[pilot].map { registry.requestCancel($0) } }
        XCTAssertEqual(final, false, "the agent is asked first")
        XCTAssertEqual(link.shutdown, "canceled by user")
        harness.loseLink(of: pilot)
        XCTAssertEqual(harness.state(of: pilot), .canceled)
        XCTAssertEqual(harness.states(of: units), [.canceled, .canceled, .canceled])
        XCTAssertEqual(harness.reason(of: units[2]), "pilot \(pilot) was canceled")
        XCTAssertThrowsError(try harness.submit(1, to: .pilot(pilot))) { error in
            XCTAssertEqual((error as? PilotError)?.message, "pilot \(pilot) is Canceled and takes no units; submit to a live pilot")
        }
    }

    func testACanceledServiceTakesNoMoreUnits() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let units = try harness.submit(2, to: .service(cds))
        harness.state.mutate { registry in registry.computeServices[cds].map { registry.cancel($0) } }
        XCTAssertEqual(harness.states(of: units), [.canceled, .canceled])
        XCTAssertThrowsError(try harness.submit(1, to: .service(cds))) { error in
            XCTAssertEqual((error as? PilotError)?.message, "service \(cds) was canceled; create a new ComputeDataService")
        }
    }

    func testUnitOutcomesBecomeStatesAndReasons() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let pilot = try harness.pilot(in: pcs, slots: 4)
        harness.connect(pilot)
        let units = try harness.submit(4, to: .pilot(pilot))
        harness.started(units, on: pilot)
        harness.finished([units[0]], on: pilot, .exited(code: 3))
        harness.finished([units[1]], on: pilot, .signaled(signal: 9))
        harness.finished([units[2]], on: pilot, .timedOut(limit: 90))
        harness.finished([units[3]], on: pilot, .notStarted(reason: "cannot run /nope: No such file or directory"))
        XCTAssertEqual(harness.states(of: units), [.failed, .failed, .failed, .failed])
        XCTAssertEqual(units.map { harness.reason(of: $0) }, [
            "exited with code 3", "killed by signal 9",
            "timeout: ran past its wall_time_limit of 1.5 min and was killed",
            "cannot run /nope: No such file or directory",
        ])
    }
}
