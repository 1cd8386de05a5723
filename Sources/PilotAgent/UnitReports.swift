import NIOCore
import PilotLink
import PilotModel

/// Collects started/finished records and sends them in one message per
/// kind per event-loop tick, so a burst of exits costs one write.
///
/// When the agent may link again (a served coordinator, which can be
/// restarted), every finished record is also kept until the coordinator
/// acknowledges it, which it does once the record is in its journal: after
/// a lost link the kept records are sent again first, however long the
/// outage, and nothing the journal lacks is forgotten. A `run` of a kept
/// unit whose process ran is a repeat the agent ignores.
final class UnitReports {
    private var staging: [String] = []
    private var started: [UnitStarted] = []
    private var finished: [UnitFinished] = []
    private let keeps: Bool
    /// Finished records not yet acknowledged, in the order they were sent.
    private var unacknowledged = FIFO<UnitFinished>()
    /// Ids in `unacknowledged` whose process ran (their units are final for
    /// the coordinator, which never sends them again on purpose).
    private var ranUnacknowledged: [String: Int] = [:]
    /// Acknowledged so far on the current link (acknowledgements are cumulative per link).
    private var acknowledgedOnLink = 0
    private var flushScheduled = false
    private let eventLoop: EventLoop
    private let send: ([AgentMessage]) -> Void

    /// - Parameters:
    ///   - eventLoop: the loop this object is confined to.
    ///   - keepsUntilAcknowledged: keep finished records until acknowledged.
    ///   - send: writes and flushes messages on the link (drops them when unlinked).
    init(eventLoop: EventLoop, keepsUntilAcknowledged: Bool, send: @escaping ([AgentMessage]) -> Void) {
        self.eventLoop = eventLoop
        self.keeps = keepsUntilAcknowledged
        self.send = send
    }

    /// Records that unit `id` began its input staging.
    func staging(_ id: String) {
        staging.append(id)
        scheduleFlush()
    }

    /// Records that unit `id` started as process `pid` on `node` (nil: the
    /// agent's own), after `stagedIn` seconds of input staging if it had any.
    func started(_ id: String, pid: Int32, node: String?, stagedIn: Double? = nil) {
        started.append(UnitStarted(id: id, pid: pid, time: WallClock.now(), node: node, stagedIn: stagedIn))
        scheduleFlush()
    }

    /// Records that unit `id` ended with `outcome`, after `stagedOut`
    /// seconds of output staging if it had any.
    func finished(_ id: String, _ outcome: UnitOutcome, stagedOut: Double? = nil) {
        let record = UnitFinished(id: id, outcome: outcome, time: WallClock.now(), stagedOut: stagedOut)
        finished.append(record)
        if keeps {
            unacknowledged.append(record)
            if outcome.ran { ranUnacknowledged[id, default: 0] += 1 }
        }
        scheduleFlush()
    }

    /// Whether unit `id` ran and the coordinator has not yet acknowledged
    /// it: a `run` of it now is a repeat, not new work.
    func ranAndUnacknowledged(_ id: String) -> Bool {
        ranUnacknowledged[id] != nil
    }

    /// The coordinator has recorded the first `count` finished records sent on this link.
    func acknowledged(_ count: Int) {
        guard keeps else { return }
        while acknowledgedOnLink < count, let record = unacknowledged.popFirst() {
            acknowledgedOnLink += 1
            guard record.outcome.ran, let copies = ranUnacknowledged[record.id] else { continue }
            ranUnacknowledged[record.id] = copies > 1 ? copies - 1 : nil
        }
    }

    /// A new link: everything not yet acknowledged goes out again first
    /// (pending records are among them), then the agent's `inventory`.
    func relinked(inventory: AgentMessage) {
        acknowledgedOnLink = 0
        finished.removeAll(keepingCapacity: true)
        var messages: [AgentMessage] = []
        // Starts not yet sent are in the inventory (running) or kept (ended).
        started.removeAll(keepingCapacity: true)
        staging.removeAll(keepingCapacity: true)
        if !unacknowledged.isEmpty { messages.append(.finished(unacknowledged.elements)) }
        messages.append(inventory)
        send(messages)
    }

    /// Sends what is pending now.
    func flush() {
        flushScheduled = false
        var messages: [AgentMessage] = []
        if !staging.isEmpty { messages.append(.staging(staging)) }
        if !started.isEmpty { messages.append(.started(started)) }
        if !finished.isEmpty { messages.append(.finished(finished)) }
        staging.removeAll(keepingCapacity: true)
        started.removeAll(keepingCapacity: true)
        finished.removeAll(keepingCapacity: true)
        if !messages.isEmpty { send(messages) }
    }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute { bound.value.flush() }
    }
}
