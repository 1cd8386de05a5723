import NIOCore
import PilotModel

/// Agents linking again after the coordinator restarted from its journal.
extension Registry {
    /// Links the agent of a restored pilot. Its wall time still counts from
    /// when it first started; its restored units wait for its inventory.
    func readmit(_ pilot: PilotRecord, hello: AgentHello, on channel: Channel) {
        pilot.awaitingAgent = false
        pilot.channel = channel
        pilot.host = hello.host
        pilot.lastContact = WallClock.now()
        if pilot.state == .pending { setState(pilot, .running) }
        let wallTime = pilot.description.wallTimeMinutes * 60
        let left = wallTime - (WallClock.now() - (pilot.started ?? WallClock.now()))
        pilot.deadline = WallClock.monotonic() + left
        effects.alarms.append((channel, max(0, left), Self.wallTimeAlarm(pilot.id)))
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
                setState(unit, .failed, reason: "lost while the coordinator was down: its agent on pilot \(pilot.id) no longer had it and reported no end")
            }
        }
    }

    /// Ends a restored pilot whose agent had exited before the restart (its
    /// job says so): there is nothing to wait for.
    func agentExitedDuringOutage(_ pilotID: String) {
        guard let pilot = pilots[pilotID], pilot.awaitingAgent, pilot.channel == nil, !pilot.state.isFinal,
              pilot.job?.agentHasExited == true else { return }
        agentGone(pilotID, reason: "its agent had exited before the coordinator restarted", jobEnded: false)
    }

    /// Ends a restored pilot whose agent did not link again in time.
    func agentDidNotReturn(_ pilotID: String, grace: Double) {
        guard let pilot = pilots[pilotID], pilot.awaitingAgent, pilot.channel == nil, !pilot.state.isFinal else { return }
        agentGone(pilotID, reason: "its agent did not link again within \(Self.seconds(grace)) of the coordinator's restart", jobEnded: false)
    }
}
