import PilotModel

extension PilotRow {
    /// The row of `pilot` as it is now.
    init(_ pilot: PilotRecord) {
        self.init(
            id: pilot.id, serviceID: pilot.serviceID, description: pilot.source, token: pilot.token,
            state: pilot.state, reason: pilot.reason, nativeID: pilot.job?.nativeID, host: pilot.host,
            created: pilot.created, started: pilot.started, finished: pilot.finished)
    }
}

extension UnitRow {
    /// The row of `unit` as it is now; the description only the first time.
    init(_ unit: UnitRecord) {
        self.init(
            id: unit.id, serviceID: unit.serviceID, assignedPilotID: unit.assignedPilotID, pilotID: unit.pilotID,
            description: unit.journaled ? nil : unit.source, state: unit.state, reason: unit.reason,
            exitCode: unit.exitCode, signal: unit.signal, pid: unit.pid, host: unit.host,
            workingDirectory: unit.workingDirectory, submitted: unit.submitted, bound: unit.bound,
            started: unit.started, finished: unit.finished, stagedIn: unit.stagedIn, stagedOut: unit.stagedOut)
    }

    /// The first row of a unit being submitted to `target`.
    init(newUnit id: String, to target: UnitTarget, description: JSONValue, submitted: Double) {
        var serviceID: String?
        var pilotID: String?
        switch target {
        case .service(let id): serviceID = id
        case .pilot(let id): pilotID = id
        }
        self.init(id: id, serviceID: serviceID, assignedPilotID: pilotID, pilotID: nil, description: description,
                  state: .new, submitted: submitted)
    }
}
