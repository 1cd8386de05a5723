@testable import PilotCoordinator
import PilotLink
import PilotModel
import XCTest

/// Early binding: units are placed on a matching pilot at submission.
final class EarlyBindingTests: XCTestCase {
    func testUnitsGoToTheLeastLoadedPilot() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(.early, with: [pcs])
        let small = try harness.pilot(in: pcs, slots: 1)
        let big = try harness.pilot(in: pcs, slots: 3)
        let units = try harness.submit(4, to: .service(cds))
        XCTAssertEqual(units.map { id in harness.state.read { $0.units[id]?.assignedPilot?.id } },
                       [small, big, big, big], "load is open units per slot")
    }

    func testAffinityLabelsChooseThePilot() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(.early, with: [pcs])
        let east = try harness.pilot(in: pcs, slots: 4, labels: ["affinity_datacenter_label": "east", "affinity_machine_label": "m1"])
        let west = try harness.pilot(in: pcs, slots: 4, labels: ["affinity_datacenter_label": "west", "affinity_machine_label": "m2"])
        let eastLink = harness.connect(east)
        let westLink = harness.connect(west)
        let toWest = try harness.submit(3, to: .service(cds), ["affinity_datacenter_label": "west"])
        let toEast = try harness.submit(1, to: .service(cds), ["affinity_machine_label": "m1"])
        XCTAssertEqual(westLink.runs, toWest)
        XCTAssertEqual(eastLink.runs, toEast)
    }

    func testAUnitNoPilotMatchesFailsWithTheReason() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(.early, with: [pcs])
        _ = try harness.pilot(in: pcs, slots: 2, labels: ["affinity_datacenter_label": "east"])
        let units = try harness.submit(1, to: .service(cds), ["affinity_datacenter_label": "north"])
        XCTAssertEqual(harness.state(of: units[0]), .failed)
        XCTAssertEqual(harness.reason(of: units[0]),
                       "no pilot of service \(cds) matches the unit's affinity (datacenter=north, machine=any) with 1 slots; add such a pilot or change the labels")
    }

    func testUnitsSubmittedBeforeAnyPilotArePlacedOnTheFirst() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(.early, with: [pcs])
        let units = try harness.submit(2, to: .service(cds))
        XCTAssertEqual(harness.states(of: units), [.new, .new])
        let pilot = try harness.pilot(in: pcs, slots: 1)
        let link = harness.connect(pilot)
        XCTAssertEqual(link.runs, units)
    }

    func testAnEarlyBoundUnitStaysWithItsPilotWhenTheAgentIsLost() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(.early, slots: 1)
        harness.connect(pilot)
        let units = try harness.submit(1, to: .service(cds), ["restartable": true])
        harness.started(units, on: pilot)
        harness.loseLink(of: pilot)
        XCTAssertEqual(harness.state(of: units[0]), .failed, "it belongs to its pilot: nowhere to requeue it")
        XCTAssertEqual(harness.reason(of: units[0]), "pilot \(pilot) ended: agent lost: agent link closed")
    }
}
