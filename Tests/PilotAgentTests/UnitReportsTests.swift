import NIOCore
import NIOEmbedded
import PilotLink
import PilotModel
import XCTest

@testable import PilotAgent

/// An agent keeps what it finished until the coordinator acknowledges it,
/// however long that takes, and sends it again on every new link.
final class UnitReportsTests: XCTestCase {
    private var sent: [[AgentMessage]] = []
    private let loop = EmbeddedEventLoop()

    private func reports(keeping: Bool = true) -> UnitReports {
        UnitReports(eventLoop: loop, keepsUntilAcknowledged: keeping) { [unowned self] in sent.append($0) }
    }

    private func finishedIDs(_ messages: [AgentMessage]) -> [String] {
        messages.flatMap { message -> [String] in
            if case .finished(let records) = message { return records.map(\.id) }
            return []
        }
    }

    func testRecordsAreSentOncePerTickAndKeptUntilAcknowledged() {
        let reports = reports()
        reports.finished("cu-1", .exited(code: 0))
        reports.finished("cu-2", .signaled(signal: 9))
        loop.run()
        XCTAssertEqual(sent.map(finishedIDs), [["cu-1", "cu-2"]], "one message for the burst")
        XCTAssertTrue(reports.ranAndUnacknowledged("cu-1"))
        reports.acknowledged(1)
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-1"), "acknowledged: the journal has it")
        XCTAssertTrue(reports.ranAndUnacknowledged("cu-2"))
    }

    func testANewLinkGetsEveryUnacknowledgedRecordFirstThenTheInventory() {
        let reports = reports()
        reports.finished("cu-1", .exited(code: 0))
        loop.run()
        reports.acknowledged(1)
        reports.finished("cu-2", .exited(code: 3))
        loop.run()
        reports.finished("cu-3", .timedOut(limit: 5))   // the link is down: sent into the void
        loop.run()
        sent.removeAll()
        reports.relinked(inventory: .inventory(running: [], queued: ["cu-4"]))
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(finishedIDs(sent[0]), ["cu-2", "cu-3"])
        XCTAssertEqual(sent[0].last, .inventory(running: [], queued: ["cu-4"]))
        reports.acknowledged(2)   // counts restart with the link
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-2"))
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-3"))
        sent.removeAll()
        reports.relinked(inventory: .inventory(running: [], queued: []))
        XCTAssertEqual(finishedIDs(sent[0]), [], "nothing left to send again")
    }

    func testOnlyUnitsThatRanAreRepeatsAUnitHandedBackMayComeAgain() {
        let reports = reports()
        reports.finished("cu-1", .withdrawn)
        reports.finished("cu-2", .canceled)
        reports.finished("cu-3", .notStarted(reason: "executable not found: x"))
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-1"))
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-2"))
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-3"))
    }

    func testAnAcknowledgementBeyondWhatWasSentIsHarmless() {
        let reports = reports()
        reports.finished("cu-1", .exited(code: 0))
        loop.run()
        reports.acknowledged(5)
        reports.acknowledged(3)
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-1"))
        reports.finished("cu-2", .exited(code: 0))
        loop.run()
        XCTAssertTrue(reports.ranAndUnacknowledged("cu-2"), "a later record waits for its own acknowledgement")
        reports.acknowledged(2)
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-2"))
    }

    func testAnAgentThatCannotRelinkKeepsNothing() {
        let reports = reports(keeping: false)
        reports.finished("cu-1", .exited(code: 0))
        loop.run()
        XCTAssertFalse(reports.ranAndUnacknowledged("cu-1"))
        sent.removeAll()
        reports.relinked(inventory: .inventory(running: [], queued: []))
        XCTAssertEqual(finishedIDs(sent[0]), [])
    }
}
