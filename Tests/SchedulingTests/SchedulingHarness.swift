@testable import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem
import XCTest

/// An agent link that records what the coordinator sends; no socket.
final class FakeAgentLink: AgentLink {
    private let sent = Monitor<[CoordinatorMessage]>([])
    private let closedFlag = Monitor(false)

    func execute(_ work: @escaping @Sendable () -> Void) {
        work()
    }

    func send(_ messages: [CoordinatorMessage]) {
        sent.withLock { $0 += messages }
    }

    func close() {
        closedFlag.withLock { $0 = true }
    }

    /// Every message sent so far.
    var messages: [CoordinatorMessage] { sent.withLock { $0 } }

    /// The ids of every unit sent to run, in order.
    var runs: [String] {
        messages.flatMap { message -> [String] in
            if case .run(let tasks) = message { return tasks.map(\.id) }
            return []
        }
    }

    /// The ids of every unit the agent was asked to cancel.
    var cancels: [String] {
        messages.flatMap { message -> [String] in
            if case .cancel(let ids) = message { return ids }
            return []
        }
    }

    /// The reason of the shutdown sent, if any.
    var shutdown: String? {
        messages.lazy.compactMap { message -> String? in
            if case .shutdown(let reason) = message { return reason }
            return nil
        }.first
    }

    var isClosed: Bool { closedFlag.withLock { $0 } }
}

/// Alarms that ring only when a test says so.
final class ManualAlarmClock: AlarmClock {
    private let pending = Monitor<[(seconds: Double, action: @Sendable () -> Void)]>([])

    func schedule(after seconds: Double, _ action: @escaping @Sendable () -> Void) {
        pending.withLock { $0.append((seconds, action)) }
    }

    /// The delays of the alarms set and not yet rung.
    var delays: [Double] { pending.withLock { $0.map(\.seconds) } }

    /// Rings every alarm set so far; returns how many rang.
    @discardableResult
    func ringAll() -> Int {
        let due = pending.withLock { alarms in
            defer { alarms.removeAll() }
            return alarms
        }
        for alarm in due { alarm.action() }
        return due.count
    }
}

/// A coordinator's state with fake links and a manual clock: services,
/// pilots and units are made and driven as the coordinator and agents
/// would, with no socket, no process and no journal.
final class SchedulingHarness {
    let alarms = ManualAlarmClock()
    let state: CoordinatorState

    init() {
        state = CoordinatorState(journal: nil, alarms: alarms)
    }

    func pilotService() -> String {
        let id = IdentifierKind.pilotComputeService.make()
        state.mutate { $0.addPilotService(id) }
        return id
    }

    /// A ComputeDataService, with the pilots of `pilotServices`.
    func computeService(_ binding: Binding = .late, with pilotServices: [String] = []) -> String {
        let id = IdentifierKind.computeDataService.make()
        state.mutate { $0.addComputeService(id, binding: binding) }
        for pilotService in pilotServices { add(pilotService, to: id) }
        return id
    }

    func add(_ pilotService: String, to computeService: String) {
        state.mutate { registry in
            if case .success(let (pilots, service)) = registry.services(pilotService, computeService) {
                registry.link(pilots, to: service)
            }
        }
    }

    func remove(_ pilotService: String, from computeService: String) {
        state.mutate { registry in
            if case .success(let (pilots, service)) = registry.services(pilotService, computeService) {
                registry.unlink(pilots, from: service)
            }
        }
    }

    /// A Pending pilot in `pilotService` (no agent yet).
    func pilot(in pilotService: String, slots: Int = 1, walltime: Double = 60, labels: [String: JSONValue] = [:]) throws -> String {
        var json: [String: JSONValue] = ["service_url": "fork://localhost", "number_of_processes": .int(Int64(slots)),
                                         "walltime": .double(walltime), "working_directory": "/nonexistent"]
        json.merge(labels) { $1 }
        let description = try PilotDescription(json: .object(json), currentDirectory: "/", home: "/")
        let id = IdentifierKind.pilot.make()
        let record = PilotRecord(id: id, serviceID: pilotService, description: description, source: .object(json), token: "secret")
        state.mutate { registry in
            if let service = registry.pilotServices[pilotService] { registry.add(record, to: service) }
        }
        return id
    }

    /// Links an agent to `pilot`, as a proven hello does.
    @discardableResult
    func connect(_ pilot: String) -> FakeAgentLink {
        let link = FakeAgentLink()
        let id = state.links.add(link)
        let hello = AgentHello(pilotID: pilot, nonce: "n", protocolVersion: WireProtocol.version, host: "node1", pid: 1, slots: 1)
        let verdict = state.mutate { $0.admit(hello, on: id) }
        XCTAssertEqual(verdict, .welcome)
        return link
    }

    /// The link of `pilot` closes (the agent died or went silent).
    func loseLink(of pilot: String, grace: Double = 0) {
        state.mutate { registry in
            guard let link = registry.pilots[pilot]?.link else { return }
            registry.linkLost(pilot, link: link, reason: "agent link closed", grace: grace)
        }
    }

    /// Submits `count` units (each with `extra` keys) to `target`.
    func submit(_ count: Int, to target: UnitTarget, _ extra: [String: JSONValue] = [:]) throws -> [String] {
        var submissions: [Submission] = []
        for _ in 0..<count {
            var json: [String: JSONValue] = ["executable": "/bin/true"]
            json.merge(extra) { $1 }
            submissions.append(Submission(id: IdentifierKind.unit.make(), source: .object(json),
                                          description: try UnitDescription(json: .object(json))))
        }
        return try state.mutate { $0.submit(submissions, to: target, at: WallClock.now()) }.get()
    }

    func started(_ units: [String], on pilot: String) {
        state.mutate { $0.started(units.map { UnitStarted(id: $0, pid: 100, time: WallClock.now()) }, on: pilot) }
    }

    func finished(_ units: [String], on pilot: String, _ outcome: UnitOutcome = .exited(code: 0)) {
        state.mutate { $0.finished(units.map { UnitFinished(id: $0, outcome: outcome, time: WallClock.now()) }, on: pilot) }
    }

    /// Starts and finishes `units` on `pilot` (exit 0).
    func run(_ units: [String], on pilot: String) {
        started(units, on: pilot)
        finished(units, on: pilot)
    }

    func cancel(unit id: String) {
        state.mutate { registry in registry.units[id].map { registry.cancel($0) } }
    }

    func state(of id: String) -> State? {
        state.read { $0.units[id]?.state ?? $0.pilots[id]?.state }
    }

    func reason(of id: String) -> String? {
        state.read { $0.units[id]?.reason ?? $0.pilots[id]?.reason }
    }

    /// The pilot unit `id` is bound to.
    func pilot(of id: String) -> String? {
        state.read { $0.units[id]?.pilot?.id }
    }

    func states(of ids: [String]) -> [State] {
        ids.compactMap { state(of: $0) }
    }
}

/// Link ids no harness link ever gets.
enum LinkIDForTests {
    static let unused = LinkID(number: .max)
}

extension SchedulingHarness {
    /// A harness with a PCS, a ComputeDataService fed by it, and one Pending
    /// pilot in it (no agent yet).
    static func servedPilot(_ binding: Binding = .late, slots: Int = 1, walltime: Double = 60) throws
        -> (harness: SchedulingHarness, pilotService: String, computeService: String, pilot: String) {
        let harness = SchedulingHarness()
        let pilotService = harness.pilotService()
        let computeService = harness.computeService(binding, with: [pilotService])
        return (harness, pilotService, computeService, try harness.pilot(in: pilotService, slots: slots, walltime: walltime))
    }
}
