import Pilot
import PilotModel
import PilotSystem
import XCTest

/// Acceptance 1: a fork pilot with 4 slots runs 1,000 units of `/bin/echo $i`.
final class EnsembleTests: XCTestCase {
    func testThousandEchoUnitsAreDoneWithTheirOutput() throws {
        let fixture = try forkPilot(slots: 4)
        let service = try fixture.computeService()
        let descriptions: [JSONValue] = (0..<1000).map { ["executable": "/bin/echo", "arguments": [.int(Int64($0))]] }
        let began = WallClock.monotonic()
        let units = try service.submit(many: descriptions)
        try service.wait(timeout: 120)
        let elapsed = WallClock.monotonic() - began
        print("acceptance 1: 1000 units in \(elapsed) s = \(Int(1000 / elapsed)) units/s")
        for (index, unit) in units.enumerated() {
            let details = try unit.details()
            XCTAssertEqual(details.state, .done, "unit \(index): \(details.reason ?? "")")
            XCTAssertEqual(details.exitCode, 0)
            let sandbox = try XCTUnwrap(details.workingDirectory)
            XCTAssertEqual(sandbox, "\(fixture.directory)/\(fixture.pilot.id)/sj-\(unit.id.dropFirst(3))")
            XCTAssertEqual(FileSystem.read(sandbox + "/stdout"), "\(index)\n")
            XCTAssertEqual(FileSystem.read(sandbox + "/stderr"), "")
        }
    }
}
