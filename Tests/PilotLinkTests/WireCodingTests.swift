import NIOCore
import PilotModel
import XCTest

@testable import PilotLink

final class WireCodingTests: XCTestCase {
    private let task = UnitTask(
        id: "cu-1", command: .argv(["/bin/echo", "a b", "ü"]),
        environment: [EnvironmentVariable(name: "K", value: "v=1")], workingDirectory: "/tmp/sj-1",
        input: "in.txt", output: "stdout", error: "stderr", slots: 2, spmdVariation: .mpi, duration: 0.25, timeLimit: 90)

    private var agentMessages: [AgentMessage] {
        [
            .hello(AgentHello(pilotID: "bj-1", nonce: "n-1", protocolVersion: 2, host: "node", pid: 42, slots: 4)),
            .proof("0a1b"),
            .started([UnitStarted(id: "cu-1", pid: 7, time: 1.5), UnitStarted(id: "cu-2", pid: -3, time: 2)]),
            .finished([
                UnitFinished(id: "cu-1", outcome: .exited(code: 3), time: 3),
                UnitFinished(id: "cu-2", outcome: .signaled(signal: 9), time: 4),
                UnitFinished(id: "cu-3", outcome: .notStarted(reason: "executable not found: x"), time: 5),
                UnitFinished(id: "cu-4", outcome: .canceled, time: 6),
                UnitFinished(id: "cu-5", outcome: .withdrawn, time: 7),
                UnitFinished(id: "cu-6", outcome: .timedOut(limit: 1.5), time: 8),
            ]),
            .heartbeat,
            .inventory(running: [UnitStarted(id: "cu-7", pid: 70, time: 9)], queued: ["cu-8", "cu-9"]),
            .inventory(running: [], queued: []),
            .chunk(FileChunk(request: 3, bytes: [0, 255, 10], size: 1 << 40, problem: nil)),
            .chunk(FileChunk(request: .max, bytes: [], size: 0, problem: "cannot open /x: Permission denied")),
            .log([AgentLogLine(time: 1.5, severity: .info, message: "linked"), AgentLogLine(time: 2, severity: .error, message: "lost node2")]),
            .log([]),
        ]
    }

    private var coordinatorMessages: [CoordinatorMessage] {
        var shellTask = task
        shellTask.command = .shell("echo $TASK_NO > out")
        shellTask.input = nil
        shellTask.duration = nil
        shellTask.timeLimit = nil
        shellTask.spmdVariation = .single
        return [.welcome, .rejected(reason: "bad token"), .run([task, shellTask]), .run([]),
                .cancel(["cu-1", "cu-2"]), .shutdown(reason: "canceled by user"), .heartbeat,
                .challenge(nonce: "n-2", proof: "2c3d"), .acknowledged(count: 12),
                .read(FileRead(request: 7, path: "/tmp/sj-1/stdout", node: "node2", offset: 1 << 33, limit: 1 << 20)),
                .read(FileRead(request: 8, path: "/tmp/sj-1/stderr", node: nil, offset: 0, limit: 0))]
    }

    func testEveryMessageSurvivesTheRoundTrip() throws {
        for message in agentMessages {
            XCTAssertEqual(try decode(encode(message), as: AgentMessage.self), message)
        }
        for message in coordinatorMessages {
            XCTAssertEqual(try decode(encode(message), as: CoordinatorMessage.self), message)
        }
    }

    /// Every proper prefix of every message is an error, never a trap.
    func testTruncatedFramesAreErrors() {
        assertEveryPrefixFails(coordinatorMessages)
        assertEveryPrefixFails(agentMessages)
    }

    func testLiesAndLeftoversAreErrors() {
        var unknown = ByteBuffer()
        unknown.writeInteger(UInt8(99))
        XCTAssertThrowsError(try decode(unknown, as: AgentMessage.self)) { error in
            guard case LinkError.malformedMessage(let text) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(text, "unknown agent message 99")
        }
        var hugeCount = ByteBuffer()
        hugeCount.writeInteger(UInt8(3))
        hugeCount.writeInteger(UInt32.max)
        XCTAssertThrowsError(try decode(hugeCount, as: CoordinatorMessage.self)) { error in
            guard case LinkError.malformedMessage(let text) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(text, "the frame ends inside units to cancel")
        }
        var leftover = encode(CoordinatorMessage.heartbeat)
        leftover.writeInteger(UInt8(0))
        XCTAssertThrowsError(try decode(leftover, as: CoordinatorMessage.self)) { error in
            guard case LinkError.malformedMessage(let text) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(text, "1 bytes left over after the message")
        }
    }
}
