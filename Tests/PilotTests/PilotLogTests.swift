import Logging
import PilotSystem
import XCTest

@testable import PilotCoordinator

/// Pilots' logs: logfmt lines, the level from the environment, rotation by size.
final class PilotLogTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = FileSystem.makeTemporaryDirectory(prefix: "pilot-log-tests") ?? "/tmp"
    }

    override func tearDown() {
        FileSystem.removeTree(directory)
    }

    func testLinesAreLogfmtWithTheirFieldsQuotedWhereNeeded() {
        PilotLogs(level: nil, size: nil).write([
            PilotLogEntry(pilotID: "bj-1", directory: directory, level: .error, message: "unit Failed: exited with code 3",
                          metadata: ["unit": "cu-1", "source": "coordinator", "time": .stringConvertible(1796099508.1234)]),
            PilotLogEntry(pilotID: "bj-1", directory: directory, level: .info, message: "say \"hi\"\nplease",
                          metadata: ["source": "agent", "time": .stringConvertible(0.5)]),
            PilotLogEntry(pilotID: "bj-1", directory: directory, level: .debug, message: "not written at info"),
        ])
        XCTAssertEqual(FileSystem.read(directory + "/pilot-bj-1.log"), """
            time=2026-12-01T04:31:48.123Z level=error pilot=bj-1 source=coordinator unit=cu-1 msg="unit Failed: exited with code 3"
            time=1970-01-01T00:00:00.500Z level=info pilot=bj-1 source=agent msg="say \\"hi\\"\\nplease"

            """)
    }

    func testTheLevelComesFromTheEnvironmentAndABadOneMeansInfo() {
        XCTAssertEqual(PilotLogs(level: "ERROR", size: nil).level, .error)
        XCTAssertEqual(PilotLogs(level: "chatty", size: nil).level, .info)
        XCTAssertEqual(PilotLogs(level: nil, size: "5000").limit, 5000)
        XCTAssertEqual(PilotLogs(level: nil, size: "12").limit, 1024, "at least 1 KiB")
        XCTAssertEqual(PilotLogs(level: nil, size: "lots").limit, 10 << 20)
    }

    func testPastTheLimitTheLogIsRotatedKeepingThreeOldFiles() {
        let logs = PilotLogs(level: nil, size: "1024")
        for number in 0..<60 {
            logs.write([PilotLogEntry(pilotID: "bj-2", directory: directory, level: .info,
                                      message: "line \(number) " + String(repeating: "x", count: 60))])
        }
        let files = (FileSystem.entries(of: directory) ?? []).sorted()
        XCTAssertEqual(files, ["pilot-bj-2.log", "pilot-bj-2.log.1", "pilot-bj-2.log.2", "pilot-bj-2.log.3"])
        for file in files {
            XCTAssertLessThanOrEqual(FileSystem.read(directory + "/" + file)?.utf8.count ?? 0, 1024)
        }
        XCTAssertTrue(FileSystem.read(directory + "/pilot-bj-2.log")?.contains("line 59 ") == true)
    }
}
