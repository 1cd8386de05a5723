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
        mutateJournaled(body).result
    }

    /// Like `mutate`, and returns only once the change is in the journal:
    /// for changes a caller is told were accepted.
    func mutateDurably<Value>(_ body: (Registry) -> Result<Value, PilotError>) throws(PilotError) -> Value {
        let (result, sequence) = mutateJournaled(body)
        let value = try result.get()
        if let journal, let sequence { try journal.waitWritten(sequence) }
        return value
    }

    private func mutateJournaled<Result>(_ body: (Registry) -> Result) -> (result: Result, sequence: UInt64?) {
        let (result, effects, sequence) = registry.withLock { registry in
            let result = body(registry)
            registry.runScheduling()
            let effects = registry.takeEffects()
            delivery.post(effects.events)
            // Appended under the lock, so batches reach the journal in the order they happened.
            let sequence = journal.map { $0.append(registry.takeJournalBatch()) }
            return (result, effects, sequence)
        }
        apply(effects)
        return (result, sequence)
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

    func admit(_ hello: AgentHello, on channel: Channel) -> CoordinatorMessage {
        state.mutate { $0.admit(hello, on: channel) }
    }

    func received(_ message: AgentMessage, from pilotID: String) {
        switch message {
        case .started(let records): state.mutate { $0.started(records, on: pilotID) }
        case .finished(let records): state.mutate { $0.finished(records, on: pilotID) }
        case .inventory(let running, let queued): state.mutate { $0.inventory(running: running, queued: queued, on: pilotID) }
        case .heartbeat, .hello: state.read { $0.heardFrom(pilotID) }
        }
    }

    func linkLost(_ pilotID: String, reason: String) {
        state.mutate { $0.agentGone(pilotID, reason: reason, jobEnded: false) }
    }
}
