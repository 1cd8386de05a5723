import PilotModel
import PilotReport
import XCTest

/// Lanes per pilot and host, capacity and utilisation.
final class TimelineTests: XCTestCase {
    private func unit(_ id: String, host: String, _ started: Double, _ finished: Double?) -> SessionJournal.Unit {
        var unit = SessionJournal.Unit(id: id, state: finished == nil ? .running : .done, submitted: 0)
        unit.pilotID = "bj-1"
        unit.host = host
        unit.started = started
        unit.finished = finished
        return unit
    }

    func testLanesArePerHostAndCapacityIsThePilotsSlots() {
        let journal = SessionJournal(sessionID: "ps-1", pilots: [.init(id: "bj-1", slots: 4)], units: [
            unit("a", host: "node2", 0, 2), unit("b", host: "node1", 0, 1), unit("c", host: "node1", 0.5, 2),
            unit("d", host: "node1", 1, 4), SessionJournal.Unit(id: "never", state: .canceled, submitted: 3),
        ])
        let timeline = Timeline(journal)
        XCTAssertEqual(timeline.groups.map(\.host), ["node1", "node2"])
        XCTAssertEqual(timeline.groups.map(\.laneCount), [2, 1])
        XCTAssertEqual(timeline.groups.map(\.firstLane), [0, 2])
        XCTAssertEqual(timeline.unitLanes, [0, 0, 1, 0, nil])
        XCTAssertEqual(timeline.capacity, 4)
        XCTAssertEqual(timeline.span, 4)
        let utilisation = Utilisation(timeline, slices: 4)
        let runSeconds: Double = 2 + 1 + 1.5 + 3
        XCTAssertEqual(utilisation.mean, runSeconds / 16, "run seconds over capacity × span")
        let busy: [Double] = [2.5, 3, 1, 1]
        XCTAssertEqual(utilisation.shares, busy.map { $0 / 4 }, "busy lane-seconds of each 1 s slice over 4 lanes")
    }

    func testAPilotWithoutAKnownSlotCountCountsTheLanesItUsedAndAnUnfinishedUnitRunsToTheEnd() {
        let journal = SessionJournal(sessionID: "ps-1", pilots: [.init(id: "bj-1", slots: nil)],
                                     units: [unit("a", host: "n", 0, 5), unit("b", host: "n", 1, nil)])
        let timeline = Timeline(journal)
        XCTAssertEqual(timeline.capacity, 2)
        XCTAssertEqual(timeline.bars.map(\.end), [5, 5])
    }
}
