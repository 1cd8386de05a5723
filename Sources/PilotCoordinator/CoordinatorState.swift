import PilotLink
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
    /// The agents' links, by the ids the registry holds.
    let links = AgentLinks()
    /// File reads waiting for their agents' answers.
    let reads = PendingReads()
    /// The pilots' logs.
    let pilotLogs = PilotLogs()
    private let alarms: any AlarmClock

    init(journal: Journal?, alarms: any AlarmClock) {
        self.journal = journal
        self.alarms = alarms
        registry.withLock { $0.changes.journaling = journal != nil }
    }

    /// Runs `body` on the registry and carries out its effects.
    @discardableResult
    func mutate<Result>(_ body: (Registry) -> Result) -> Result {
        let (result, effects) = registry.withLock { registry in
            let result = body(registry)
            registry.runScheduling()
            let effects = registry.takeEffects()
            let (events, batch) = registry.changes.take()
            delivery.post(events)
            // Appended under the lock, so batches reach the journal in the order they happened.
            _ = journal?.append(batch)
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

    /// Reads the registry; `body` must not change it (use `mutate`).
    func read<Result>(_ body: (Registry) -> Result) -> Result {
        registry.withLock { body($0) }
    }

    private func apply(_ effects: Effects) {
        if effects.broadcast { registry.broadcast() }
        for (pilotID, id) in effects.flushes {
            guard let link = links[id] else { continue }
            link.execute { [self] in
                let (messages, covering) = registry.withLock { ($0.takeOutbox(of: pilotID), journal?.latestSequence) }
                // A unit reaches its agent only once its binding is journaled:
                // after a restart, no unit runs that the journal says is queued.
                if let journal, let covering {
                    journal.afterWritten(covering) { link.execute { link.send(messages) } }
                } else {
                    link.send(messages)
                }
            }
        }
        for alarm in effects.alarms {
            let action = alarm.action
            alarms.schedule(after: alarm.seconds) { [self] in
                mutate { action($0) }
            }
        }
        pilotLogs.write(effects.logs)
        for id in effects.closes { links[id]?.close() }
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

    func opened(_ link: any AgentLink) -> LinkID {
        state.links.add(link)
    }

    func secret(for hello: AgentHello) -> Result<String, LinkRefusal> {
        state.read { $0.secret(for: hello) }
    }

    func admit(_ hello: AgentHello, on link: LinkID) -> CoordinatorMessage {
        state.mutate { $0.admit(hello, on: link) }
    }

    func whenRecorded(_ work: @escaping @Sendable () -> Void) {
        state.whenRecorded(work)
    }

    func refused(_ reason: String) {
        StandardStreams.error("pilot: refused an agent link: \(reason)\n")
    }

    func received(_ message: AgentMessage, from pilotID: String) {
        switch message {
        case .staging(let ids): state.mutate { $0.staging(ids, on: pilotID) }
        case .started(let records): state.mutate { $0.started(records, on: pilotID) }
        case .finished(let records): state.mutate { $0.finished(records, on: pilotID) }
        case .inventory(let running, let queued): state.mutate { $0.inventory(running: running, queued: queued, on: pilotID) }
        case .heartbeat, .hello, .proof: state.mutate { $0.heardFrom(pilotID) }
        case .chunk(let chunk): state.reads.answered(chunk)
        case .log(let lines):
            guard let directory = state.read({ $0.pilots[pilotID]?.description.workingDirectory }) else { return }
            state.pilotLogs.write(lines.map { line in
                PilotLogEntry(pilotID: pilotID, directory: directory, level: line.severity == .error ? .error : .info,
                              message: line.message, metadata: ["source": "agent", "time": .stringConvertible(line.time)])
            })
        }
    }

    func closed(_ link: LinkID, of pilotID: String?, reason: String) {
        state.links.remove(link)
        state.reads.closed(link)
        guard let pilotID else { return }
        state.mutate { $0.linkLost(pilotID, link: link, reason: reason, grace: relinkGrace) }
    }
}
