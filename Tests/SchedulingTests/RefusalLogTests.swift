import PilotSystem
import XCTest

@testable import PilotCoordinator

/// Refused network peers are logged, but a flood of them is not.
final class RefusalLogTests: XCTestCase {
    func testAFloodIsCutToTheBurstAndCountedInTheNextWindow() {
        let lines = Monitor([String]())
        let now = Monitor(100.0)
        let log = RefusalLog(burst: 2, seconds: 10, emit: { line in lines.withLock { $0.append(line) } }, clock: { now.withLock { $0 } })
        for index in 0..<5 { log.log("peer \(index)") }
        now.withLock { $0 += 10 }
        log.log("peer 5")
        XCTAssertEqual(lines.withLock { $0 }, [
            "network link: peer 0", "network link: peer 1",
            "network link: peer 5 (3 more refusals in the last window were not logged)",
        ])
    }
}
