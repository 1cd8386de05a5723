import PilotModel
import PilotResources

/// Rebuilding the registry from a journal after the coordinator restarted.
extension Registry {
    /// Restores every service, pilot and unit of `contents`. Pilots that
    /// had not ended wait for their agents (`awaitingAgent`); units keep
    /// their states: final ones their results, bound ones their pilot (the
    /// agent's inventory settles them), queued ones their place in line.
    /// Returns the ids of the pilots waiting for an agent.
    func restore(_ contents: JournalContents, currentDirectory: String, home: String,
                 describe: (JSONValue) -> UnitDescription?) -> [String] {
        for id in contents.pilotServices { pilotServices[id] = PilotServiceRecord(id: id) }
        for row in contents.computeServices {
            let service = ComputeServiceRecord(id: row.id, binding: row.binding)
            service.canceled = row.canceled
            computeServices[row.id] = service
        }
        for (pcs, cds) in contents.links {
            pilotServices[pcs]?.computeServiceIDs.append(cds)
            computeServices[cds]?.pilotServiceIDs.append(pcs)
        }
        var waiting: [String] = []
        for row in contents.pilots {
            guard let pilot = restorePilot(row, currentDirectory: currentDirectory, home: home) else { continue }
            if !pilot.state.isFinal { waiting.append(pilot.id) }
        }
        for row in contents.units { restoreUnit(row, describe: describe) }
        return waiting
    }

    private func restorePilot(_ row: PilotRow, currentDirectory: String, home: String) -> PilotRecord? {
        guard let description = try? PilotDescription(json: row.description, currentDirectory: currentDirectory, home: home) else {
            return nil
        }
        let pilot = PilotRecord(id: row.id, serviceID: row.serviceID, description: description, source: row.description, token: row.token)
        pilot.state = row.state
        pilot.reason = row.reason
        pilot.host = row.host
        pilot.created = row.created
        pilot.started = row.started
        pilot.finished = row.finished
        pilots[row.id] = pilot
        pilotServices[row.serviceID]?.pilotIDs.append(row.id)
        for id in pilotServices[row.serviceID]?.computeServiceIDs ?? [] {
            if let service = computeServices[id] { serve(service, by: pilot) }
        }
        guard !row.state.isFinal else { return pilot }
        pilot.awaitingAgent = true
        pilot.lastContact = WallClock.now()
        if let nativeID = row.nativeID, let launcher = try? Launchers.launcher(for: description.serviceURL) {
            pilot.job = launcher.reattach(nativeID: nativeID, pilotID: row.id)
            pilot.jobEndObserved = false
        }
        return pilot
    }

    private func restoreUnit(_ row: UnitRow, describe: (JSONValue) -> UnitDescription?) {
        guard let source = row.description, let description = describe(source) else { return }
        let service = row.serviceID.flatMap { computeServices[$0] }
        let unit = UnitRecord(id: row.id, description: description, source: source, service: service, submitted: row.submitted)
        unit.state = row.state
        unit.reason = row.reason
        unit.exitCode = row.exitCode
        unit.signal = row.signal
        unit.pid = row.pid
        unit.host = row.host
        unit.workingDirectory = row.workingDirectory
        unit.bound = row.bound
        unit.started = row.started
        unit.finished = row.finished
        unit.stagedIn = row.stagedIn
        unit.stagedOut = row.stagedOut
        unit.journaled = true
        units[row.id] = unit
        let assigned = row.assignedPilotID.flatMap { pilots[$0] }
        unit.assignedPilot = assigned
        guard !row.state.isFinal else { return }
        service?.openUnits += 1
        assigned?.openUnits += 1
        if let pilot = row.pilotID.flatMap({ pilots[$0] }), !pilot.state.isFinal {
            // Bound: the agent's inventory says whether it has the unit.
            unit.pilot = pilot
            unit.unconfirmed = true
            pilot.boundUnits[ObjectIdentifier(unit)] = unit
            pilot.boundSlots += unit.slots
            if assigned == nil { pilot.openUnits += 1 }
        } else if let assigned {
            unit.state = .new
            if assigned.state.isFinal {
                setState(unit, .failed, reason: "pilot \(assigned.id) ended while the coordinator was down")
            } else {
                assigned.directQueue.append(unit)
            }
        } else if let service {
            unit.state = .new
            unit.pilot = nil
            enqueue(unit, on: service)
        }
    }
}
