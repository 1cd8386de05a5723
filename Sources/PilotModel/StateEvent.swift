/// The kinds of objects whose states change.
public enum ObjectKind: Int32, Sendable, Codable, CaseIterable {
    /// A pilot.
    case pilot = 1
    /// A compute unit.
    case unit = 2
}

/// One state change of a pilot or unit, as delivered to subscribers: once
/// per change, in order per object.
public struct StateEvent: Sendable, Equatable {
    /// Pilot or unit.
    public var kind: ObjectKind
    /// The object's id.
    public var id: String
    /// The state entered.
    public var state: State
    /// The state left (`.unknown` for the first event of an object).
    public var previousState: State
    /// Why, for final states other than Done (and for Done of pilots).
    public var reason: String?

    /// Creates an event.
    public init(kind: ObjectKind, id: String, state: State, previousState: State, reason: String?) {
        self.kind = kind
        self.id = id
        self.state = state
        self.previousState = previousState
        self.reason = reason
    }
}
