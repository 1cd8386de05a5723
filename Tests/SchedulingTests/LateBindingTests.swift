@testable import PilotCoordinator
import PilotLink
import PilotModel
import XCTest

/// Late binding: pilots with room take units from the queues they serve.
final class LateBindingTests: XCTestCase {
    func testAPilotBindsTwiceItsSlotsAhead() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 2)
        let link = harness.connect(pilot)
        let units = try harness.submit(10, to: .service(cds))
        XCTAssertEqual(link.runs, Array(units[0..<4]))
        XCTAssertEqual(harness.states(of: units), Array(repeating: .pending, count: 4) + Array(repeating: .new, count: 6))
    }

    func testAFinishedUnitMakesRoomForTheNext() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        let link = harness.connect(pilot)
        let units = try harness.submit(5, to: .service(cds))
        harness.run([units[0]], on: pilot)
        XCTAssertEqual(harness.state(of: units[0]), .done)
        XCTAssertEqual(link.runs, Array(units[0..<3]))
    }

    func testUnitsWaitInTheQueueUntilAPilotLinks() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        let units = try harness.submit(3, to: .service(cds))
        XCTAssertEqual(harness.states(of: units), [.new, .new, .new], "a Pending pilot binds nothing")
        let link = harness.connect(pilot)
        XCTAssertEqual(harness.state(of: pilot), .running)
        XCTAssertEqual(link.runs, Array(units[0..<2]))
    }

    func testTwoPilotsShareOneQueue() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let first = try harness.pilot(in: pcs, slots: 1)
        let second = try harness.pilot(in: pcs, slots: 1)
        let firstLink = harness.connect(first)
        let secondLink = harness.connect(second)
        let units = try harness.submit(6, to: .service(cds))
        XCTAssertEqual(firstLink.runs.count, 2)
        XCTAssertEqual(secondLink.runs.count, 2)
        XCTAssertEqual(Set(firstLink.runs + secondLink.runs), Set(units[0..<4]))
    }

    func testAPilotServingTwoServicesAlternatesBetweenThem() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let a = harness.computeService(with: [pcs])
        let b = harness.computeService(with: [pcs])
        let pilot = try harness.pilot(in: pcs, slots: 2)
        let fromA = try harness.submit(4, to: .service(a))
        let fromB = try harness.submit(4, to: .service(b))
        let link = harness.connect(pilot)
        XCTAssertEqual(link.runs, [fromA[0], fromB[0], fromA[1], fromB[1]])
    }

    func testUnitsSubmittedToThePilotGoBeforeItsServicesUnits() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        let queued = try harness.submit(2, to: .service(cds))
        let direct = try harness.submit(1, to: .pilot(pilot))
        let link = harness.connect(pilot)
        XCTAssertEqual(link.runs, [direct[0], queued[0]])
    }

    func testAUnitHoldsAsManySlotsAsItHasProcesses() throws {
        let (harness, _, cds, pilot) = try SchedulingHarness.servedPilot(slots: 4)
        let link = harness.connect(pilot)
        let units = try harness.submit(4, to: .service(cds), ["number_of_processes": 3])
        XCTAssertEqual(link.runs, Array(units[0..<2]), "two 3-slot units fit the 8-slot window, a third does not")
    }

    func testAUnitLargerThanEveryPilotIsRefusedAtSubmission() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        _ = try harness.pilot(in: pcs, slots: 2)
        XCTAssertThrowsError(try harness.submit(1, to: .service(cds), ["number_of_processes": 3])) { error in
            XCTAssertEqual((error as? PilotError)?.message,
                           "compute unit description key 'number_of_processes' asks for 3 slots but the largest pilot available has 2; ask for fewer processes or start a bigger pilot")
        }
    }

    func testAUnitTooLargeForOnePilotWaitsForTheBiggerOne() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let small = try harness.pilot(in: pcs, slots: 1)
        let big = try harness.pilot(in: pcs, slots: 4)
        let smallLink = harness.connect(small)
        let units = try harness.submit(1, to: .service(cds), ["number_of_processes": 4])
        XCTAssertEqual(smallLink.runs, [])
        XCTAssertEqual(harness.state(of: units[0]), .new)
        let bigLink = harness.connect(big)
        XCTAssertEqual(bigLink.runs, units)
    }

    func testARemovedPilotServiceTakesNoMoreUnits() throws {
        let (harness, pcs, cds, pilot) = try SchedulingHarness.servedPilot(slots: 1)
        let link = harness.connect(pilot)
        let first = try harness.submit(1, to: .service(cds))
        harness.remove(pcs, from: cds)
        _ = try harness.submit(1, to: .service(cds))
        harness.run(first, on: pilot)
        XCTAssertEqual(link.runs, first, "the pilot kept its bound unit and took no other")
    }

    func testAHundredPilotsEachTakeTheirShare() throws {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let links = try (0..<100).map { _ in harness.connect(try harness.pilot(in: pcs, slots: 1)) }
        let units = try harness.submit(1000, to: .service(cds))
        XCTAssertEqual(links.map(\.runs.count), Array(repeating: 2, count: 100))
        XCTAssertEqual(Set(links.flatMap(\.runs)), Set(units[0..<200]))
        XCTAssertEqual(harness.states(of: units).filter { $0 == .new }.count, 800)
    }
}

/// Late binding and data: a unit with input data goes to a free pilot
/// labelled like its data when there is one, and to any pilot otherwise.
final class DataAwareLateBindingTests: XCTestCase {
    private let nearData: [String: JSONValue] = ["input_data": ["du-00000000-0000-4000-8000-000000000001"], "affinity_machine_label": "near"]

    /// Two linked 1-slot pilots of one late-binding service, labelled "far" and "near".
    private func twoPilots() throws -> (harness: SchedulingHarness, cds: String, far: FakeAgentLink, near: FakeAgentLink) {
        let harness = SchedulingHarness()
        let pcs = harness.pilotService()
        let cds = harness.computeService(with: [pcs])
        let far = try harness.pilot(in: pcs, slots: 1, labels: ["affinity_machine_label": "far"])
        let near = try harness.pilot(in: pcs, slots: 1, labels: ["affinity_machine_label": "near"])
        return (harness, cds, harness.connect(far), harness.connect(near))
    }

    func testAUnitWithInputDataGoesToThePilotNearItsData() throws {
        let (harness, cds, far, near) = try twoPilots()
        let units = try harness.submit(2, to: .service(cds), nearData)
        XCTAssertEqual(near.runs, units, "both fit in the near pilot's binding window")
        XCTAssertEqual(far.runs, [])
        let plain = try harness.submit(1, to: .service(cds))
        XCTAssertEqual(far.runs, plain, "units without data still go to any pilot")
    }

    func testWhenThePilotNearTheDataIsFullAnotherTakesTheUnit() throws {
        let (harness, cds, far, near) = try twoPilots()
        let units = try harness.submit(4, to: .service(cds), nearData)
        XCTAssertEqual(near.runs, Array(units[0..<2]))
        XCTAssertEqual(far.runs, Array(units[2..<4]), "nothing waits for a busy pilot while another is free")
    }
}
