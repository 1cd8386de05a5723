import PilotModel
@testable import PilotReport
import XCTest

/// RFC 4180 quoting, and the unit table's columns.
final class CSVReportTests: XCTestCase {
    func testFieldsAreQuotedOnlyWhenTheyMustBe() {
        XCTAssertEqual(CSVReport.field("plain text"), "plain text")
        XCTAssertEqual(CSVReport.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVReport.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVReport.field("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(CSVReport.field("crlf\r\nend"), "\"crlf\r\nend\"")
        XCTAssertEqual(CSVReport.line(["a", "", "b,c"]), "a,,\"b,c\"\r\n")
    }

    func testOneRowPerUnitWithItsLaneAndDurations() {
        var first = SessionJournal.Unit(id: "cu-1", state: .failed, submitted: 100)
        first.pilotID = "bj-1"
        first.host = "node1"
        first.started = 100.5
        first.finished = 101.25
        first.exitCode = 1
        first.reason = "exit code 1, \"oops\""
        let second = SessionJournal.Unit(id: "cu-2", state: .canceled, submitted: 100.25)
        let journal = SessionJournal(sessionID: "ps-1", pilots: [.init(id: "bj-1", slots: 2)], units: [first, second])
        let lines = Report.render(journal, as: .csv).split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, CSVReport.header.joined(separator: ","))
        XCTAssertEqual(lines.dropFirst().first,
                       "cu-1,bj-1,node1,0,Failed,1,100.0,,100.5,101.25,0.5,0.75,,,\"exit code 1, \"\"oops\"\"\"")
        XCTAssertEqual(lines.dropFirst(2).first, "cu-2,,,,Canceled,,100.25,,,,,,,,")
        XCTAssertEqual(lines.count, 4, "a header, two rows, and the empty text after the last CRLF")
    }
}
