import Pilot

/// The services shell commands use when none is named: the session's only
/// one, or a new one. Scripts that made several name theirs.
package enum DefaultServices {
    /// The PilotComputeService new pilots join: `given`, else the
    /// session's only one, else a new one.
    package static func pilotService(_ given: String?, in session: Session) throws(PilotError) -> PilotComputeService {
        if let given { return try session.pilotComputeService(id: given) }
        let existing = try session.overview().pilotServices
        guard existing.count <= 1 else {
            throw PilotError(.invalidArgument, "the session has \(existing.count) pilot compute services (\(existing.joined(separator: ", "))); name one with --pilot-service")
        }
        if let only = existing.first { return try session.pilotComputeService(id: only) }
        return try session.createPilotComputeService()
    }

    /// The ComputeDataService units go to: `given`, else the session's only
    /// one, else a new late-binding one with every PilotComputeService added.
    package static func computeService(_ given: String?, in session: Session) throws(PilotError) -> ComputeDataService {
        if let given { return try session.computeDataService(id: given) }
        let overview = try session.overview()
        guard overview.computeServices.count <= 1 else {
            throw PilotError(.invalidArgument, "the session has \(overview.computeServices.count) compute data services (\(overview.computeServices.joined(separator: ", "))); name one with --service")
        }
        if let only = overview.computeServices.first { return try session.computeDataService(id: only) }
        let service = try session.createComputeDataService()
        for id in overview.pilotServices { try service.add(session.pilotComputeService(id: id)) }
        return service
    }

    /// Adds `pilots` to `service` unless it is there already.
    package static func attach(_ pilots: PilotComputeService, to service: ComputeDataService) throws(PilotError) {
        guard !(try service.details().pilotServiceIDs.contains(pilots.id)) else { return }
        try service.add(pilots)
    }
}
