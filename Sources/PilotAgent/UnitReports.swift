import NIOCore
import PilotModel

/// Collects started/finished records and sends them in one message per
/// kind per event-loop tick, so a burst of exits costs one write.
final class UnitReports {
    private var started: [UnitStarted] = []
    private var finished: [UnitFinished] = []
    private var flushScheduled = false
    private let eventLoop: EventLoop
    private let send: ([AgentMessage]) -> Void

    /// - Parameters:
    ///   - eventLoop: the loop this object is confined to.
    ///   - send: writes and flushes messages on the link.
    init(eventLoop: EventLoop, send: @escaping ([AgentMessage]) -> Void) {
        self.eventLoop = eventLoop
        self.send = send
    }

    /// Records that unit `id` started as process `pid`.
    func started(_ id: String, pid: Int32) {
        started.append(UnitStarted(id: id, pid: pid, time: WallClock.now()))
        scheduleFlush()
    }

    /// Records that unit `id` ended with `outcome`.
    func finished(_ id: String, _ outcome: UnitOutcome) {
        finished.append(UnitFinished(id: id, outcome: outcome, time: WallClock.now()))
        scheduleFlush()
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
