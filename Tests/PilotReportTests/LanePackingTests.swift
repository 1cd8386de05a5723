import PilotReport
import XCTest

/// Greedy lane packing: the first lane free at each start.
final class LanePackingTests: XCTestCase {
    func testOverlapsGoToNewLanesAndFreedLanesAreReusedLowestFirst() {
        let packed = LanePacking.pack([(0, 10), (1, 3), (2, 5), (3, 4), (5, 6), (10, 11)])
        XCTAssertEqual(packed.lanes, [0, 1, 2, 1, 1, 0], "a lane whose unit ended at the start is free; the lowest free one is taken")
        XCTAssertEqual(packed.count, 3)
    }

    func testIntervalsAreTakenByStartTimeNotInputOrder() {
        let packed = LanePacking.pack([(5, 6), (0, 10), (5, 7)])
        XCTAssertEqual(packed.lanes, [1, 0, 2])
        XCTAssertEqual(packed.count, 3)
    }

    func testNoIntervalsNeedNoLanes() {
        let packed = LanePacking.pack([])
        XCTAssertEqual(packed.lanes, [])
        XCTAssertEqual(packed.count, 0)
    }
}
