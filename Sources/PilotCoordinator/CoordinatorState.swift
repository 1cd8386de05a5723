import NIOCore
import PilotModel
import PilotSystem

/// The registry under its monitor, plus event delivery. `mutate` is the one
/// way to change state: it runs the change and the scheduler under the
/// lock, posts the recorded events in order, then performs the other
/// effects (link writes, kills, wake-ups) after the lock is released.
final class CoordinatorState: Sendable {
    let registry = Monitor(Registry())
    let delivery = EventDelivery()
    /// Where changes are recorded, when the session keeps a journal.
    let journal: Journal?

    init(journal: Journal?) {
        self.journal = journal
        registry.withLock { $0.journaling = journal != nil }
    }

    /// Runs `body` on the registry and carries out its effects.
    @discardableResult
    func mutate<Result>(_ body: (Registry) -> Result) -> Result {
        let (result, effects) = registry.withLock { registry in
            let result = body(registry)
            registry.runScheduling()
            let effects = registry.takeEffects()
            delivery.post(effects.events)
            // Appended under the lock, so batches reach the journal in the order they happened.
            _ = journal?.append(registry.takeJournalBatch())
            return (result, effects)
        }
        apply(effects)
        return result
    }

    /// Writes `batch` (records a call creates) to the journal before the
    /// call changes anything; throws, with nothing changed, if it cannot.
    func record(_ batch: JournalBatch) throws(PilotError) {
        try journal?.record(batch)
    }

    /// Runs `work` once every change made so far is in the journal (at once
    /// without one), after work registered before it.
    func whenRecorded(_ work: @escaping @Sendable () -> Void) {
        guard let journal else {
            work()
            return
        }
        journal.afterWritten(journal.latestSequence, work)
    }

    /// Reads the registry without changing it.
    func read<Result>(_ body: (Registry) -> Result) -> Result {
        registry.withLock { body($0) }
    }

    private func apply(_ effects: Effects) {
        if effects.broadcast { registry.broadcast() }
        for (pilotID, channel) in effects.flushes {
            channel.eventLoop.execute { [self] in
                let (messages, covering) = registry.withLock { ($0.takeOutbox(of: pilotID), journal?.latestSequence) }
                let send: @Sendable () -> Void = {
                    for message in messages { channel.write(message, promise: nil) }
                    channel.flush()
                }
                // A unit reaches its agent only once its binding is journaled:
                // after a restart, no unit runs that the journal says is queued.
                if let journal, let covering {
                    journal.afterWritten(covering) { channel.eventLoop.execute(send) }
                } else {
                    send()
                }
            }
        }
        for alarm in effects.alarms {
            // Far-future alarms are clamped (31 years) so the nanosecond count cannot overflow.
            let delay = TimeAmount.nanoseconds(Int64(min(alarm.seconds, 1e9) * 1e9))
            let action = alarm.action
            alarm.channel.eventLoop.scheduleTask(in: delay) { [self] in
                mutate { action($0) }
            }
        }
        for channel in effects.closes { channel.close(promise: nil) }
        for job in effects.terminations { job.terminate() }
        for (job, groups) in effects.orphans { job.killOrphanedUnits(processGroups: groups) }
    }
}

/// Connects agent links to the coordinator state.
struct LinkAdapter: AgentLinkDelegate {
    let state: CoordinatorState
    let heartbeat: (interval: Double, timeout: Double)
    /// Seconds a lost link's agent has to link again (0: none, it is gone).
    let relinkGrace: Double

    /// Agents keep finished records, and may link again, when they have a grace.
    var acknowledges: Bool { relinkGrace > 0 }

    func secret(for hello: AgentHello) -> Result<String, LinkRefusal> {
        state.read { $0.secret(for: hello) }
    }

    func admit(_ hello: AgentHello, on channel: Channel) -> CoordinatorMessage {
        state.mutate { $0.admit(hello, on: channel) }
    }

    func whenRecorded(_ work: @escaping @Sendable () -> Void) {
        state.whenRecorded(work)
    }

    func refused(_ reason: String) {
        StandardStreams.error("pilot: refused an agent link: \(reason)\n")
    }

    func received(_ message: AgentMessage, from pilotID: String) {
        switch message {
        case .started(let records): state.mutate { $0.started(records, on: pilotID) }
        case .finished(let records): state.mutate { $0.finished(records, on: pilotID) }
        case .inventory(let running, let queued): state.mutate { $0.inventory(running: running, queued: queued, on: pilotID) }
        case .heartbeat, .hello, .proof: state.read { $0.heardFrom(pilotID) }
        }
    }

    func linkLost(_ pilotID: String, reason: String) {
        state.mutate { $0.linkLost(pilotID, reason: reason, grace: relinkGrace) }
    }
}
