import NIOCore
import XCTest

@testable import PilotLink

/// The frames between an agent and its node workers.
final class WorkerMessagesTests: XCTestCase {
    private let commands: [WorkerCommand] = [
        .spawn(WorkerSpawn(token: -7, attempts: [["true"], ["/bin/bash", "-c", "true"]], environment: ["PILOT_NODE=node2", "A=é b"],
                           workingDirectory: "/w/sj-1", input: "in.txt", output: "stdout", error: "stderr")),
        .spawn(WorkerSpawn(token: Int32.min, attempts: [], environment: [], workingDirectory: "", input: nil, output: "o", error: "o")),
        .signal(token: -1, signal: 15),
        .ping,
        .read(FileRead(request: 4, path: "/scratch/sj-1/stdout", node: nil, offset: 12, limit: 1 << 20)),
    ]
    private let reports: [WorkerReport] = [
        .ready(host: "node2", pid: 4242),
        .started(token: -7, pid: 99),
        .notStarted(token: -8, reason: "executable not found: nope (No such file or directory)"),
        .exited(token: -7, status: 9),
        .alive,
        .chunk(FileChunk(request: 4, bytes: Array("line\n".utf8), size: 17, problem: nil)),
    ]

    func testEveryMessageSurvivesTheRoundTrip() throws {
        for command in commands { XCTAssertEqual(try decode(encode(command), as: WorkerCommand.self), command) }
        for report in reports { XCTAssertEqual(try decode(encode(report), as: WorkerReport.self), report) }
    }

    func testTruncatedFramesAreErrors() {
        assertEveryPrefixFails(commands)
        assertEveryPrefixFails(reports)
    }

    func testUnknownKindsAreErrorsThatSayWhich() {
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(9))
        XCTAssertThrowsError(try decode(frame, as: WorkerCommand.self)) { error in
            guard case LinkError.malformedMessage(let text) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(text, "unknown worker command 9")
        }
        XCTAssertThrowsError(try decode(frame, as: WorkerReport.self)) { error in
            guard case LinkError.malformedMessage(let text) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(text, "unknown worker report 9")
        }
    }
}
