import NIOCore
import PilotModel
import XCTest

@testable import PilotLink

/// The client protocol of a served coordinator: every call and reply
/// survives the round trip; damaged frames are errors, never traps.
final class ClientMessagesTests: XCTestCase {
    private let description: JSONValue = [
        "executable": "/bin/echo", "arguments": ["a", 1, -2.5, true, false, .null], "environment": ["K": "v"], "nested": [[[]]],
    ]

    private var calls: [ClientCall] {
        [
            .hello(secret: "s", protocolVersion: 1), .createPilotComputeService, .createComputeDataService(.early),
            .computeServiceDetails("cds-1"), .add(pilotService: "pcs-1", computeService: "cds-1"),
            .remove(pilotService: "pcs-1", computeService: "cds-1"), .createPilot(pilotService: "pcs-1", description: description),
            .pilots(pilotService: "pcs-1"), .pilotDetails("bj-1"), .cancelPilot("bj-1"), .cancelPilotService("pcs-1"),
            .waitPilotStarted("bj-1", timeout: 2.5), .waitPilot("bj-1", timeout: nil),
            .submit(.service("cds-1"), [description, .object([:])], many: true), .submit(.pilot("bj-1"), [description], many: false),
            .unitDetails("cu-1"), .unitState("cu-1"), .waitUnit("cu-1", timeout: -1), .waitComputeService("cds-1", timeout: 0),
            .cancelUnits(["cu-1", "cu-2"]), .cancelUnits([]), .cancelComputeService("cds-1"), .unitsOfComputeService("cds-1"), .unitsOfPilot("bj-1"),
            .events(true), .overview(scope: nil, listing: .none), .overview(scope: "cds-1", listing: .states([.done, .failed])),
            .overview(scope: "bj-1", listing: .all), .output(.unit("cu-1", error: true), offset: 5, limit: 100),
            .output(.agentLog("bj-1"), offset: 0, limit: 0),
        ]
    }

    private var replies: [ServerMessage] {
        var unit = UnitDetails(id: "cu-1", state: .failed, submitted: 1, description: description)
        (unit.reason, unit.pilotID, unit.exitCode, unit.signal, unit.pid) = ("exited with code 3", "bj-1", 3, nil, 77)
        (unit.host, unit.workingDirectory, unit.bound, unit.started, unit.finished) = ("node", "/tmp/sj-1", 2, 3, 4)
        var pilot = PilotDetails(id: "bj-1", state: .running, serviceID: "pcs-1", serviceURL: "fork://localhost",
                                 sandbox: "/tmp/bj-1", slots: 4, created: 1, description: description)
        (pilot.freeSlots, pilot.openUnits, pilot.nativeID, pilot.wallTimeLeft) = (2, 5, "123", 59.5)
        let service = ComputeServiceDetails(id: "cds-1", binding: .early, pilotServiceIDs: ["pcs-1", "pcs-2"], canceled: true)
        return [
            .reply(serial: 1, .welcome(sessionID: "ps-1")), .reply(serial: 2, .done), .reply(serial: 3, .identifier("cu-1")),
            .reply(serial: 4, .identifiers(["cu-1", "cu-2"])), .reply(serial: 5, .state(.done)), .reply(serial: 6, .computeServiceDetails(service)),
            .reply(serial: 7, .pilotDetails(pilot)), .reply(serial: 8, .unitDetails(unit)),
            .reply(serial: .max, .failure(PilotError(.timeout, "cu-1 did not finish within 1 s"))),
            .event(StateEvent(kind: .unit, id: "cu-1", state: .running, previousState: .pending, reason: nil)),
            .heartbeat,
            .reply(serial: 9, .overview(SessionOverview(pilotServices: ["pcs-1"], computeServices: ["cds-1", "cds-2"], pilots: [pilot],
                                                        unitCounts: [.done: 3, .failed: 1], units: [unit]))),
            .reply(serial: 10, .overview(SessionOverview(pilotServices: [], computeServices: [], pilots: [], unitCounts: [:], units: []))),
            .reply(serial: 11, .output(OutputChunk(bytes: [0, 255, 10], size: 9, growing: true))),
        ]
    }

    func testEveryCallAndReplySurvivesTheRoundTrip() throws {
        for (serial, call) in calls.enumerated() {
            let request = ClientRequest(serial: UInt64(serial), call: call)
            XCTAssertEqual(try decode(encode(request), as: ClientRequest.self), request)
        }
        for reply in replies {
            XCTAssertEqual(try decode(encode(reply), as: ServerMessage.self), reply)
        }
    }

    func testTruncatedFramesAreErrors() {
        assertEveryPrefixFails(calls.map { ClientRequest(serial: 1, call: $0) })
        assertEveryPrefixFails(replies)
    }

    /// JSON nested past the parser's limit is refused, not followed down the stack.
    func testDeepNestingIsRefused() {
        var writer = WireWriter(ByteBuffer())
        writer.integer(UInt64(1))
        writer.tag(6)
        writer.string("pcs-1")
        for _ in 0..<600 {
            writer.tag(5)
            writer.integer(UInt32(1))
        }
        writer.tag(0)
        XCTAssertThrowsError(try decode(writer.buffer, as: ClientRequest.self)) { error in
            guard case LinkError.malformedMessage(let text) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(text, "JSON value nested deeper than 512 levels")
        }
    }
}
