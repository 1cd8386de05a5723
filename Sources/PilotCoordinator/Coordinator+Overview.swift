import PilotModel

extension Coordinator {
    /// The session's services and pilots, and its units (or those of the
    /// ComputeDataService or pilot `scope`) counted by state and listed as
    /// `listing` asks; one pass over the units under the lock.
    package func overview(scope: String?, listing: UnitListing) throws(PilotError) -> SessionOverview {
        try state.read { registry -> Result<SessionOverview, PilotError> in
            let inScope: (UnitRecord) -> Bool
            switch scope {
            case nil: inScope = { _ in true }
            case .some(let id) where registry.computeServices[id] != nil: inScope = { $0.serviceID == id }
            case .some(let id) where registry.pilots[id] != nil: inScope = { $0.ownerPilot?.id == id }
            case .some(let id):
                return .failure(PilotError(.notFound, "no ComputeDataService or pilot \(id) in this session"))
            }
            var counts: [State: Int] = [:]
            var listed: [UnitRecord] = []
            for unit in registry.units.values where inScope(unit) {
                counts[unit.state, default: 0] += 1
                if listing.includes(unit.state) { listed.append(unit) }
            }
            listed.sort { ($0.submitted, $0.id) < ($1.submitted, $1.id) }
            let pilots = registry.pilots.values.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
            return .success(SessionOverview(
                pilotServices: registry.pilotServices.keys.sorted(), computeServices: registry.computeServices.keys.sorted(),
                pilots: pilots.map { registry.details(of: $0) }, unitCounts: counts, units: listed.map { registry.details(of: $0) }))
        }.get()
    }
}
