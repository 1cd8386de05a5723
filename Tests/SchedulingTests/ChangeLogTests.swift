@testable import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem
import XCTest

/// The one change log: events for subscribers and rows for the journal.
final class ChangeLogTests: XCTestCase {
    func testSubscribersSeeEveryStateChangeInOrder() throws {
        let harness = SchedulingHarness()
        let seen = Monitor<[StateEvent]>([])
        _ = harness.state.delivery.subscribe { event in
            seen.withLock { $0.append(event) }
            seen.broadcast()
        }
        harness.state.mutate { $0.changes.eventsWanted = true }
        let pcs = harness.pilotService()
        let pilot = try harness.pilot(in: pcs, slots: 1)
        harness.connect(pilot)
        let units = try harness.submit(1, to: .pilot(pilot))
        harness.run(units, on: pilot)
        let events = seen.wait(until: WallClock.monotonic() + 5) { $0.count >= 6 ? $0 : nil } ?? []
        harness.state.delivery.stop()
        XCTAssertEqual(events.map { "\($0.id == pilot ? "pilot" : "unit") \($0.previousState.name)->\($0.state.name)" }, [
            "pilot Unknown->Pending", "pilot Pending->Running", "unit Unknown->New", "unit New->Pending",
            "unit Pending->Running", "unit Running->Done",
        ])
    }

    func testTheJournalBatchHoldsEachRecordOnceWithItsLatestState() throws {
        var log = ChangeLog()
        log.journaling = true
        let description = try UnitDescription(json: ["executable": "/bin/true"])
        let unit = UnitRecord(id: "cu-1", description: description, source: ["executable": "/bin/true"], service: nil,
                              submitted: WallClock.now())
        log.append(.unit(unit, Transition(from: .unknown, to: .new, reason: nil)))
        unit.state = .pending
        log.append(.unit(unit, Transition(from: .new, to: .pending, reason: nil)))
        unit.state = .running
        log.append(.unit(unit, Transition(from: .pending, to: .running, reason: nil)))
        log.append(.pilotServiceAdded("pcs-1"))
        let (events, batch) = log.take()
        XCTAssertEqual(events, [], "nobody subscribed")
        XCTAssertEqual(batch.units.map(\.state), [.running])
        XCTAssertEqual(batch.pilotServices, ["pcs-1"])
        XCTAssertTrue(log.take().batch.isEmpty, "taken once")
    }

    func testNothingIsKeptWhenNobodyListens() throws {
        var log = ChangeLog()
        log.append(.pilotServiceAdded("pcs-1"))
        log.journaling = true
        XCTAssertTrue(log.take().batch.isEmpty)
    }
}
