import Pilot
import PilotSystem
import XCTest

/// State events: one per change, in order per unit, delivered without
/// internal locks so handlers can call back into the API.
final class EventTests: XCTestCase {
    /// Every unit reports New, Pending, Running, Done once each, in that order.
    func testEachStateChangeIsDeliveredOnceInOrder() throws {
        let fixture = try forkPilot(slots: 4)
        let seen = Monitor<[String: [State]]>([:])
        let subscription = try fixture.session.subscribe { event in
            guard event.kind == .unit else { return }
            seen.withLock { $0[event.id, default: []].append(event.state) }
        }
        let service = try fixture.computeService()
        let units = try service.submit(many: (0..<100).map { _ in ["executable": "/bin/true"] })
        try service.wait(timeout: 60)
        XCTAssertTrue(Processes.eventually(within: 5) { seen.withLock { $0.values.reduce(0) { $0 + $1.count } } == 400 })
        try fixture.session.unsubscribe(subscription)
        let histories = seen.withLock { $0 }
        for unit in units {
            XCTAssertEqual(histories[unit.id], [.new, .pending, .running, .done], unit.id)
        }
    }

    /// A handler may submit more units: a chain where B_i starts when A_i is Done and reads its output.
    func testHandlersCanSubmitFollowUpUnits() throws {
        let fixture = try forkPilot(slots: 2)
        let service = try fixture.computeService()
        let followers = Monitor<[String: ComputeUnit]>([:])
        let firsts = Monitor<[String: String]>([:])
        _ = try fixture.session.subscribe { event in
            guard event.kind == .unit, event.state == .done,
                  let directory = firsts.withLock({ $0[event.id] }) else { return }
            let follower = try? service.submit([
                "executable": "/bin/cat", "arguments": .array([.string(directory + "/stdout")]),
            ])
            if let follower { followers.withLock { $0[event.id] = follower } }
        }
        for index in 0..<5 {
            // The sleep lets this thread record the id before the unit can be Done.
            let first = try service.submit([
                "executable": "/bin/sh", "arguments": ["-c", .string("sleep 0.5; echo first \(index)")],
            ])
            let directory = "\(fixture.directory)/\(fixture.pilot.id)/sj-\(first.id.dropFirst(3))"
            firsts.withLock { $0[first.id] = directory }
        }
        XCTAssertTrue(Processes.eventually(within: 20) { followers.withLock { $0.count } == 5 })
        try service.wait(timeout: 30)
        for (_, follower) in followers.withLock({ $0 }) {
            XCTAssertEqual(try follower.wait(timeout: 10), .done)
            let output = FileSystem.read(try XCTUnwrap(follower.details().workingDirectory) + "/stdout") ?? ""
            XCTAssertTrue(output.hasPrefix("first "), output)
        }
    }

    /// After unsubscribe returns, the handler is not called again.
    func testUnsubscribedHandlersAreNotCalled() throws {
        let fixture = try forkPilot(slots: 2)
        let calls = Monitor(0)
        let subscription = try fixture.session.subscribe { _ in calls.withLock { $0 += 1 } }
        try fixture.session.unsubscribe(subscription)
        let unit = try fixture.pilot.submit(["executable": "/bin/true"])
        XCTAssertEqual(try unit.wait(timeout: 10), .done)
        usleep(100_000)
        XCTAssertEqual(calls.withLock { $0 }, 0)
        XCTAssertThrowsError(try fixture.session.unsubscribe(subscription))
    }
}
