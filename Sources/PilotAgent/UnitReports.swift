import NIOCore
import PilotModel

/// Collects started/finished records and sends them in one message per
/// kind per event-loop tick, so a burst of exits costs one write. Finished
/// records are also kept for `retention` seconds: after the link is lost
/// they are sent again, since the coordinator may not have recorded them.
final class UnitReports {
    private var started: [UnitStarted] = []
    private var finished: [UnitFinished] = []
    private var recent = FIFO<UnitFinished>()
    private let retention: Double
    private var flushScheduled = false
    private let eventLoop: EventLoop
    private let send: ([AgentMessage]) -> Void

    /// - Parameters:
    ///   - eventLoop: the loop this object is confined to.
    ///   - send: writes and flushes messages on the link.
    ///   - retention: seconds finished records are kept for `recentlyFinished` (0: none).
    init(eventLoop: EventLoop, retention: Double, send: @escaping ([AgentMessage]) -> Void) {
        self.eventLoop = eventLoop
        self.retention = retention
        self.send = send
    }

    /// Finished records of the last `retention` seconds, and every one since
    /// the link was lost (nothing is pruned while unlinked).
    var recentlyFinished: [UnitFinished] { recent.elements }

    /// Records that unit `id` started as process `pid`.
    func started(_ id: String, pid: Int32) {
        started.append(UnitStarted(id: id, pid: pid, time: WallClock.now()))
        scheduleFlush()
    }

    /// Records that unit `id` ended with `outcome`.
    func finished(_ id: String, _ outcome: UnitOutcome) {
        let record = UnitFinished(id: id, outcome: outcome, time: WallClock.now())
        finished.append(record)
        if retention > 0 { recent.append(record) }
        scheduleFlush()
    }

    /// Drops kept records older than the retention (called while linked).
    func pruneRecent() {
        let oldest = WallClock.now() - retention
        while let first = recent.first, first.time < oldest { recent.popFirst() }
    }

    /// Sends what is pending now.
    func flush() {
        flushScheduled = false
        var messages: [AgentMessage] = []
        if !started.isEmpty { messages.append(.started(started)) }
        if !finished.isEmpty { messages.append(.finished(finished)) }
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
