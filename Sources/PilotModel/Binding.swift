/// How a ComputeDataService binds units to pilots.
public enum Binding: Int32, Sendable, CaseIterable, Codable {
    /// Late: a unit waits in the service's queue and goes to whichever
    /// pilot has room first (BigJob's decentral service).
    case late = 0
    /// Early: a unit is placed on a pilot at submission, honouring its
    /// affinity labels (BigJob's central service).
    case early = 1
}

/// Where a unit goes: a ComputeDataService (its binding decides) or one pilot.
package enum UnitTarget: Sendable, Equatable {
    /// Submit to a ComputeDataService.
    case service(String)
    /// Submit directly to a pilot.
    case pilot(String)
}
