import PilotLink
import PilotModel

/// Agents linking again after the coordinator restarted from its journal.
extension Registry {
    /// Links the agent of a restored pilot. Its wall time still counts from
    /// when it first started; its restored units wait for its inventory.
    func readmit(_ pilot: PilotRecord, hello: AgentHello, on link: LinkID) {
        pilot.awaitingAgent = false
        pilot.link = link
        pilot.links += 1
        pilot.host = hello.host
        pilot.lastContact = WallClock.now()
        if pilot.state == .pending { setState(pilot, .running) }
        let wallTime = pilot.description.wallTimeMinutes * 60
        let left = wallTime - (WallClock.now() - (pilot.started ?? WallClock.now()))
        pilot.deadline = WallClock.monotonic() + left
        effects.alarms.append((max(0, left), Self.wallTimeAlarm(pilot.id)))
        requestScheduling(pilot)
        requestFlush(pilot)
    }

    /// What the agent of `pilotID` holds after linking again. It sent every
    /// end the journal has not acknowledged just before, so a restored unit
    /// it neither holds nor reported never reached it and is sent again (the
    /// agent also ignores a unit it holds or ran). One the journal saw
    /// running that vanished without a report is re-queued when
    /// restartable, Failed otherwise.
    func inventory(running: [UnitStarted], queued: [String], on pilotID: String) {
        guard let pilot = pilots[pilotID] else { return }
        pilot.lastContact = WallClock.now()
        started(running, on: pilotID)
        let held = Set(running.map(\.id) + queued)
        for unit in Array(pilot.boundUnits.values) where unit.unconfirmed {
            unit.unconfirmed = false
            guard !unit.state.isFinal, !held.contains(unit.id) else { continue }
            if unit.state != .running {
                pilot.outboxRun.append(task(for: unit, in: unit.workingDirectory ?? pilot.sandbox + "/" + Identifier.sandboxName(ofUnit: unit.id)))
                requestFlush(pilot)
            } else if unit.description.restartable {
                dropped(unit, by: pilot, started: true)
            } else {
                setState(unit, .failed, reason: "lost while its agent on pilot \(pilot.id) was out of touch: the agent no longer had it and reported no end")
            }
        }
    }

    /// Ends a restored pilot whose agent had exited before the restart (its
    /// job says so): there is nothing to wait for.
    func agentExitedDuringOutage(_ pilotID: String) {
        guard let pilot = pilots[pilotID], pilot.awaitingAgent, pilot.link == nil, !pilot.state.isFinal,
              pilot.job?.agentHasExited == true else { return }
        agentGone(pilotID, reason: "its agent had exited before the coordinator restarted", jobEnded: false)
    }

    /// Link `link` of `pilotID`'s agent closed (a link it no longer uses is
    /// ignored). In a session whose agents link
    /// again (`grace` > 0: a served coordinator) an agent that is still
    /// running (its job has not ended) may only have lost touch: the
    /// coordinator or the agent was paused or slow past the heartbeat. The
    /// pilot keeps its units and waits `grace` seconds for it, as after a
    /// restart; its job's end, or the grace passing, ends it. Otherwise the
    /// agent is gone now.
    func linkLost(_ pilotID: String, link: LinkID, reason: String, grace: Double) {
        guard let pilot = pilots[pilotID], pilot.link == link else { return }
        guard grace > 0, pilot.state == .running, !pilot.cancelRequested, pilot.endReason == nil, !pilot.jobEnded else {
            agentGone(pilotID, reason: reason, jobEnded: false)
            return
        }
        pilot.link = nil
        pilot.awaitingAgent = true
        for unit in pilot.boundUnits.values where !unit.state.isFinal { unit.unconfirmed = true }
        let links = pilot.links
        effects.alarms.append((grace, { registry in
            guard registry.pilots[pilotID]?.links == links else { return }
            registry.agentDidNotReturn(pilotID, because: "its agent did not link again within \(durationText(grace)) of losing its link (\(reason))")
        }))
    }

    /// Ends a pilot still waiting for its agent to link again (after a
    /// restart, or a lost link) with `reason`.
    func agentDidNotReturn(_ pilotID: String, because reason: String) {
        guard let pilot = pilots[pilotID], pilot.awaitingAgent, pilot.link == nil, !pilot.state.isFinal else { return }
        agentGone(pilotID, reason: reason, jobEnded: false)
    }
}
