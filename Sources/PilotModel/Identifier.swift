import Synchronization

/// The kinds of objects that carry ids, with the prefixes of the contract
/// (`bj-<uuid>` for pilots, `cu-<uuid>` for units, and so on).
package enum IdentifierKind: String, Sendable, CaseIterable {
    /// A pilot (BigJob's "bigjob").
    case pilot = "bj"
    /// A compute unit.
    case unit = "cu"
    /// A PilotComputeService.
    case pilotComputeService = "pcs"
    /// A ComputeDataService.
    case computeDataService = "cds"
    /// A coordination session.
    case session = "ps"
    /// A PilotDataService.
    case pilotDataService = "pds"
    /// A pilot data (a storage place).
    case pilotData = "pd"
    /// A data unit.
    case dataUnit = "du"

    /// The kind whose prefix `id` starts with ("cu-..." is a unit), if any.
    package init?(of id: String) {
        guard let dash = id.firstIndex(of: "-"), let kind = Self(rawValue: String(id[..<dash])) else { return nil }
        self = kind
    }

    /// A fresh id of this kind: the prefix, a dash and a lowercase UUID
    /// (version 4 layout) that no other id of this process shares.
    package func make() -> String {
        rawValue + "-" + UniqueUUIDs.next()
    }
}

/// Conversions between ids of related kinds that share one UUID.
package enum Identifier {
    /// The sandbox directory name (`sj-<uuid>`) of unit `unitID` (`cu-<uuid>`).
    package static func sandboxName(ofUnit unitID: String) -> String {
        let unitPrefix = IdentifierKind.unit.rawValue + "-"
        guard unitID.hasPrefix(unitPrefix) else { return sandboxPrefix + unitID }
        return sandboxPrefix + unitID.dropFirst(unitPrefix.count)
    }

    /// BigJob's prefix for sub-job (unit) sandboxes.
    private static let sandboxPrefix = "sj-"
}
