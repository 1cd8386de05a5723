/// A snapshot of a ComputeDataService, as the coordinator records it: its
/// binding, the PilotComputeServices whose pilots run its units, and
/// whether it was cancelled. Every process of a served session sees the same.
public struct ComputeServiceDetails: Sendable, Equatable, Encodable {
    /// `cds-<uuid>`.
    public var id: String
    /// Late or early binding.
    public var binding: Binding
    /// The PilotComputeServices added to it (and not removed), in the order they were added.
    public var pilotServiceIDs: [String]
    /// True once it was cancelled: it takes no more units.
    public var canceled: Bool

    /// Creates a snapshot.
    public init(id: String, binding: Binding, pilotServiceIDs: [String], canceled: Bool) {
        self.id = id
        self.binding = binding
        self.pilotServiceIDs = pilotServiceIDs
        self.canceled = canceled
    }

    enum CodingKeys: String, CodingKey {
        case id, binding, canceled
        case pilotServiceIDs = "pilot_service_ids"
    }
}
