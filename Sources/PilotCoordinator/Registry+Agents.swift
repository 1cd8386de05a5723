import PilotLink
import PilotResources
import PilotModel

/// What agents report, applied to the registry.
extension Registry {
    /// The secret of the pilot `hello` names, or why the hello is refused
    /// (checked again, with the pilot's state, once the agent has proved itself).
    func secret(for hello: AgentHello) -> Result<String, LinkRefusal> {
        guard hello.protocolVersion == WireProtocol.version else {
            return .failure(LinkRefusal(reason: "agent speaks protocol \(hello.protocolVersion), coordinator \(WireProtocol.version); use the pilot-agent built with this library"))
        }
        guard let pilot = pilots[hello.pilotID] else {
            return .failure(LinkRefusal(reason: "no pilot \(quoted(hello.pilotID)) in this session"))
        }
        return .success(pilot.token)
    }

    /// Admits an agent that proved it knows its pilot's secret; on success
    /// the pilot is Running and linked.
    func admit(_ hello: AgentHello, on link: LinkID) -> CoordinatorMessage {
        guard let pilot = pilots[hello.pilotID] else {
            return .rejected(reason: "no pilot \(hello.pilotID) in this session")
        }
        if pilot.awaitingAgent, pilot.link == nil, !pilot.state.isFinal, !pilot.cancelRequested {
            readmit(pilot, hello: hello, on: link)
            return .welcome
        }
        guard pilot.state == .pending, pilot.link == nil, !pilot.cancelRequested else {
            return .rejected(reason: "pilot \(hello.pilotID) is \(pilot.state.name) and takes no agent")
        }
        pilot.link = link
        pilot.links += 1
        pilot.host = hello.host
        pilot.lastContact = WallClock.now()
        setState(pilot, .running)
        // The wall time counts from the start, as a batch job's does.
        let wallTime = pilot.description.wallTimeMinutes * 60
        pilot.deadline = WallClock.monotonic() + wallTime
        effects.alarms.append((wallTime, Self.wallTimeAlarm(pilot.id)))
        requestScheduling(pilot)
        return .welcome
    }

    /// Records that the agent of `pilotID` is alive.
    func heardFrom(_ pilotID: String) {
        pilots[pilotID]?.lastContact = WallClock.now()
    }

    /// Units whose input staging began.
    func staging(_ ids: [String], on pilotID: String) {
        guard let pilot = pilots[pilotID] else { return }
        pilot.lastContact = WallClock.now()
        for id in ids {
            guard let unit = units[id], unit.pilot === pilot, unit.state == .pending else { continue }
            setState(unit, .staging)
        }
    }

    /// Units the agent started.
    func started(_ records: [UnitStarted], on pilotID: String) {
        guard let pilot = pilots[pilotID] else { return }
        pilot.lastContact = WallClock.now()
        for record in records {
            guard let unit = units[record.id], unit.pilot === pilot else { continue }
            unit.pid = record.pid
            unit.started = record.time
            unit.host = record.node ?? pilot.host
            unit.stagedIn = record.stagedIn
            setState(unit, .running)
        }
    }

    /// Units the agent finished with.
    func finished(_ records: [UnitFinished], on pilotID: String) {
        guard let pilot = pilots[pilotID] else { return }
        pilot.lastContact = WallClock.now()
        for record in records {
            guard let unit = units[record.id], unit.pilot === pilot, !unit.state.isFinal else { continue }
            unit.stagedOut = record.stagedOut
            if unit.state == .pending || unit.state == .staging, record.outcome.ran {
                // Its start was reported while no coordinator listened (a restart).
                setState(unit, .running)
            }
            switch record.outcome {
            case .exited(let code):
                unit.exitCode = code
                if code == 0 {
                    setState(unit, .done)
                } else {
                    setState(unit, .failed, reason: "exited with code \(code)")
                }
            case .signaled(let signal):
                unit.signal = signal
                setState(unit, .failed, reason: "killed by signal \(signal)")
            case .notStarted(let reason), .stagingFailed(let reason, _):
                setState(unit, .failed, reason: reason)
            case .timedOut(let limit):
                setState(unit, .failed, reason: "timeout: ran past its wall_time_limit of \(durationText(limit)) and was killed")
            case .nodeLost where unit.cancelRequested:
                setState(unit, .canceled, reason: "canceled by user")
            case .nodeLost(let reason):
                // The pilot goes on with its other nodes: a restartable unit runs again.
                if !(unit.description.restartable && requeue(unit, from: pilot)) {
                    setState(unit, .failed, reason: reason)
                }
            case .canceled where unit.cancelRequested:
                setState(unit, .canceled, reason: "canceled by user")
            case .canceled:
                dropped(unit, by: pilot, started: true)
            case .withdrawn:
                dropped(unit, by: pilot, started: false)
            }
            if unit.state.isFinal { unit.finished = record.time }
        }
    }

    /// A unit its pilot stopped without finishing: the agent handed it back
    /// unstarted, or killed it while shutting down (pilot cancelled or out of
    /// wall time), or the agent was lost. It goes back to its service's queue
    /// when that cannot run it twice (it never started, or it is
    /// `restartable`); otherwise it ends with the pilot.
    func dropped(_ unit: UnitRecord, by pilot: PilotRecord, started: Bool) {
        if unit.cancelRequested {
            setState(unit, .canceled, reason: "canceled by user")
        } else if (!started || unit.description.restartable) && requeue(unit, from: pilot) {
            return
        } else if pilot.cancelRequested {
            setState(unit, .canceled, reason: "pilot \(pilot.id) was canceled")
        } else {
            setState(unit, .failed, reason: "pilot \(pilot.id) ended: \(pilot.endReason ?? pilot.reason ?? "its agent stopped")")
        }
    }

    /// Puts a late-bound unit back in its service's queue for another
    /// pilot; false for one that belongs to this pilot (submitted to it, or
    /// placed by early binding) or whose service takes no more units.
    private func requeue(_ unit: UnitRecord, from pilot: PilotRecord) -> Bool {
        guard unit.assignedPilot == nil, let service = unit.service, !service.canceled, !closed else { return false }
        if pilot.boundUnits.removeValue(forKey: ObjectIdentifier(unit)) != nil {
            pilot.boundSlots -= unit.slots
            pilot.openUnits -= 1
        }
        unit.pilot = nil
        unit.bound = nil
        unit.host = nil
        unit.workingDirectory = nil
        unit.pid = nil
        unit.started = nil
        setState(unit, .new)
        service.queue.append(unit)
        servicesWithNewUnits.insert(service.id)
        effects.broadcast = true
        return true
    }

    /// Seconds a batch pilot whose link is gone waits for the batch system
    /// to report its job's end (and why) before its agent counts as lost.
    static let batchEndGrace = 5.0

    /// The alarm that ends pilot `pilotID` at its wall time.
    static func wallTimeAlarm(_ pilotID: String) -> @Sendable (Registry) -> Void {
        { $0.wallTimeReached(pilotID) }
    }

    /// `pilotID` has run for its wall time: its agent is told to stop; its
    /// units come back through `dropped`, and the pilot ends Done.
    func wallTimeReached(_ pilotID: String) {
        guard let pilot = pilots[pilotID], pilot.isLive, pilot.link != nil else { return }
        pilot.endReason = "wall time of \(durationText(pilot.description.wallTimeMinutes * 60)) reached"
        pilot.outboxShutdown = pilot.endReason
        requestFlush(pilot)
        effects.broadcast = true
    }

    /// The agent of `pilotID` is gone (link closed, silent, or its job
    /// ended; `jobStarted` false when it never ran). Expected after a
    /// cancel; a failure otherwise.
    func agentGone(_ pilotID: String, reason: String, jobEnded: Bool, jobStarted: Bool = true, waited: Bool = false) {
        guard let pilot = pilots[pilotID] else { return }
        if jobEnded {
            pilot.jobEnded = true
            effects.broadcast = true
        }
        guard !pilot.state.isFinal else { return }
        if !jobEnded, !waited, !pilot.cancelRequested, pilot.endReason == nil, pilot.job?.reportsEnd == true,
           pilot.jobEndObserved, pilot.link != nil {
            // A batch job's end, with the batch system's reason, usually
            // follows its agent's link within a second or two: wait for it.
            pilot.link = nil
            effects.alarms.append((Self.batchEndGrace, { $0.agentGone(pilotID, reason: reason, jobEnded: false, waited: true) }))
            return
        }
        if pilot.cancelRequested {
            setState(pilot, .canceled, reason: "canceled by user")
        } else if let endReason = pilot.endReason {
            setState(pilot, .done, reason: endReason)
        } else if pilot.state == .pending && jobEnded {
            // A job that never started left no agent log to point at.
            let log = AgentLaunch.logPath("stderr", pilotID: pilot.id, workingDirectory: pilot.description.workingDirectory)
            setState(pilot, .failed, reason: jobStarted ? "\(reason) before the agent connected; see \(log)" : reason)
        } else if jobEnded && pilot.job?.reportsEnd == true {
            setState(pilot, .failed, reason: reason)
        } else {
            setState(pilot, .failed, reason: "agent lost: \(reason)")
        }
    }
}
