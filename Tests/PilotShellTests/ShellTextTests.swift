import PilotModel
import XCTest

@testable import PilotShell

/// What shell commands parse and print: state names, tables, counts, progress lines.
final class ShellTextTests: XCTestCase {
    func testStateNamesInAnyCaseSeparatedByCommas() throws {
        XCTAssertEqual(try StateNames.parse("failed,Canceled, RUNNING"), [.failed, .canceled, .running])
        XCTAssertThrowsError(try StateNames.parse("done,finished")) { error in
            XCTAssertEqual((error as? PilotError)?.message,
                           "unknown state \"finished\"; use one of New, Pending, Staging, Running, Done, Canceled, Failed (several separated by commas)")
        }
        XCTAssertThrowsError(try StateNames.parse("done,"))
    }

    func testTablesAlignTheirColumnsWithoutTrailingBlanks() {
        var table = TextTable(["UNIT", "STATE", "REASON"])
        table.add(["cu-1", "Done", ""])
        table.add(["cu-22", "Failed", "exited with code 3"])
        XCTAssertEqual(table.text, "UNIT   STATE   REASON\ncu-1   Done\ncu-22  Failed  exited with code 3")
    }

    func testCountsFollowTheLifecycleOrder() {
        XCTAssertEqual(Listings.counts([.failed: 1, .done: 3, .pending: 0]), "4 units: 3 Done, 1 Failed")
        XCTAssertEqual(Listings.counts([.running: 1]), "1 unit: 1 Running")
        XCTAssertEqual(Listings.counts([:]), "0 units")
    }

    func testProgressLineAndSummary() {
        let progress = WaitProgress(counts: [.done: 5230, .failed: 3, .running: 4, .staging: 0, .pending: 4763],
                                    elapsed: 2.2, finalAtStart: 0)
        XCTAssertEqual(progress.total, 10_000)
        XCTAssertEqual(progress.line, "5230/10000 done, 3 failed, 4 running, 4763 queued, 2379/s, ETA 2 s")
        var finished = WaitProgress(counts: [.done: 9990, .failed: 10], elapsed: 4.21, finalAtStart: 0)
        XCTAssertEqual(finished.summary, "10000 units: 9990 Done, 10 Failed in 4.2 s (2375 units/s)")
        XCTAssertEqual(finished.estimatedRemaining, 0)
        finished = WaitProgress(counts: [.pending: 2], elapsed: 0.5, finalAtStart: 0)
        XCTAssertNil(finished.estimatedRemaining)
        XCTAssertEqual(finished.line, "0/2 done, 0 running, 2 queued, 0.0/s")
        XCTAssertEqual(WaitProgress(counts: [.done: 4], elapsed: 1, finalAtStart: 4).rate, 0, "units final before the wait do not count")
    }

    func testTheLastLinesStartWhereTailStarts() throws {
        let text = Array("one\ntwo\nthree\nfour\n".utf8)
        let reader = OutputReader { offset, limit throws(PilotError) in
            let start = min(Int(offset), text.count)
            return OutputChunk(bytes: Array(text[start..<min(text.count, start + limit)]), size: Int64(text.count), growing: false)
        }
        XCTAssertEqual(try reader.start(ofLast: 2), 8)
        XCTAssertEqual(try reader.start(ofLast: 10), 0)
        XCTAssertEqual(try reader.start(ofLast: 0), Int64(text.count))
        var copied: [UInt8] = []
        XCTAssertEqual(try reader.copy(from: 4) { copied += $0 }.offset, Int64(text.count))
        XCTAssertEqual(String(decoding: copied, as: UTF8.self), "two\nthree\nfour\n")
    }
}
