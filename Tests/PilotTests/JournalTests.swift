@testable import PilotCoordinator
import PilotModel
import SQLiteNIO
import XCTest

/// The journal keeps the latest row of every object across reopening.
final class JournalTests: XCTestCase {
    private func unit(_ id: String, state: State, description: JSONValue?, pilotID: String? = nil) -> UnitRow {
        UnitRow(id: id, serviceID: "cds-1", assignedPilotID: nil, pilotID: pilotID, description: description, state: state,
                reason: nil, exitCode: nil, signal: nil, pid: nil, host: nil, workingDirectory: nil,
                submitted: 1, bound: nil, started: nil, finished: nil)
    }

    func testBatchesSurviveReopeningWithTheirLatestValues() throws {
        let path = TemporaryDirectory.make() + "/journal.sqlite"
        let journal = try Journal(path: path, sessionID: "ps-first")
        var first = JournalBatch()
        first.pilotServices = ["pcs-1"]
        first.computeServices = [ComputeServiceRow(id: "cds-1", binding: .late, canceled: false)]
        first.links = [("pcs-1", "cds-1", true)]
        first.pilots = [PilotRow(id: "bj-1", serviceID: "pcs-1", description: ["service_url": "fork://localhost"],
                                 token: "secret", state: .pending, reason: nil, nativeID: "42", host: nil,
                                 created: 5, started: nil, finished: nil)]
        let description: JSONValue = ["executable": "/bin/echo", "arguments": ["a", 1, 2.5, true, .null], "environment": ["K": "V"]]
        first.units = (0..<2500).map { unit("cu-\($0)", state: .new, description: description) }
        try journal.record(first)
        var second = JournalBatch()
        second.units = [unit("cu-7", state: .done, description: nil, pilotID: "bj-1")]
        second.units[0].exitCode = 0
        second.pilots = first.pilots
        second.pilots[0].state = .running
        second.pilots[0].host = "node1"
        _ = journal.append(second)
        journal.close()

        let reopened = try Journal(path: path, sessionID: "ps-second")
        defer { reopened.close() }
        let contents = try reopened.load()
        XCTAssertEqual(contents.sessionID, "ps-first", "a journal keeps the session it was made for")
        XCTAssertEqual(contents.pilotServices, ["pcs-1"])
        XCTAssertEqual(contents.computeServices.map(\.id), ["cds-1"])
        XCTAssertEqual(contents.links.map { "\($0.pilotService)>\($0.computeService)" }, ["pcs-1>cds-1"])
        XCTAssertEqual(contents.pilots.map(\.state), [.running])
        XCTAssertEqual(contents.pilots.first?.host, "node1")
        XCTAssertEqual(contents.pilots.first?.token, "secret")
        XCTAssertEqual(contents.pilots.first?.nativeID, "42")
        XCTAssertEqual(contents.units.count, 2500)
        XCTAssertEqual(contents.units.map(\.id).prefix(3), ["cu-0", "cu-1", "cu-2"], "in submission order")
        let done = try XCTUnwrap(contents.units.first { $0.id == "cu-7" })
        XCTAssertEqual(done.state, .done)
        XCTAssertEqual(done.exitCode, 0)
        XCTAssertEqual(done.pilotID, "bj-1")
        XCTAssertEqual(done.description, description, "an update keeps the description written first")
    }

    func testStagingTimesAreKeptAndAnOlderJournalGainsTheirColumns() throws {
        let path = TemporaryDirectory.make() + "/journal.sqlite"
        let journal = try Journal(path: path, sessionID: "ps-old")
        try journal.record(JournalBatch(units: [unit("cu-old", state: .done, description: ["executable": "/bin/true"])]))
        journal.close()
        // A journal from before the staging columns.
        let connection = try SQLiteConnection.open(storage: .file(path: path)).wait()
        for column in ["staging_input_seconds", "staging_output_seconds"] {
            _ = try connection.query("ALTER TABLE units DROP COLUMN \(column)").wait()
        }
        try connection.close().wait()

        let migrated = try Journal(path: path, sessionID: "ps-old")
        XCTAssertEqual(try migrated.load().units.map(\.id), ["cu-old"], "an older journal opens with its rows")
        var staged = unit("cu-staged", state: .done, description: ["executable": "/bin/true"])
        staged.stagedIn = 1.25
        staged.stagedOut = 0.5
        try migrated.record(JournalBatch(units: [staged]))
        migrated.close()

        let reopened = try Journal(path: path, sessionID: "ps-old")
        defer { reopened.close() }
        let units = try reopened.load().units
        XCTAssertEqual(units.map(\.id), ["cu-old", "cu-staged"])
        XCTAssertEqual(units.map(\.stagedIn), [nil, 1.25])
        XCTAssertEqual(units.map(\.stagedOut), [nil, 0.5])
    }

    func testAnUnwritableJournalIsAClearError() {
        XCTAssertThrowsError(try Journal(path: "/nonexistent/journal.sqlite", sessionID: "ps-x")) { error in
            XCTAssertTrue((error as? PilotError)?.message.hasPrefix("cannot open the journal /nonexistent/journal.sqlite") == true, "\(error)")
        }
    }
}
