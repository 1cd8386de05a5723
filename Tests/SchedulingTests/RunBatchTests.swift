@testable import PilotCoordinator
import PilotLink
import PilotModel
import XCTest

/// Units go to an agent in `run` messages that stay far inside a link frame.
final class RunBatchTests: XCTestCase {
    private func task(_ id: String, carrying bytes: Int) -> UnitTask {
        UnitTask(id: id, command: .argv(["/bin/echo", String(repeating: "x", count: bytes)]), environment: [], workingDirectory: "/w",
                 input: nil, output: "stdout", error: "stderr", slots: 1, spmdVariation: .single)
    }

    func testRunsAreCutByBytesInOrderAndALargeUnitGoesAlone() {
        let mib = 1 << 20
        let tasks = [task("a", carrying: 6 * mib), task("b", carrying: 6 * mib), task("c", carrying: 6 * mib),
                     task("d", carrying: 20 * mib), task("e", carrying: 10)]
        XCTAssertEqual(Registry.batches(tasks).map { $0.map(\.id) }, [["a", "b"], ["c"], ["d"], ["e"]])
        let small = (0..<1000).map { task("u\($0)", carrying: 10) }
        XCTAssertEqual(Registry.batches(small).map(\.count), [1000], "small units go in one message")
        XCTAssertEqual(Registry.batches([]).count, 0)
    }
}
