import PilotModel

extension PilotError {
    /// No pilot, unit or service `id` in the session.
    static func noObject(_ id: String) -> PilotError {
        PilotError(.notFound, "no object \(quoted(id)) in this session")
    }

    /// The session was closed.
    static let sessionClosed = PilotError(.invalidState, "the session is closed; open a new one")
}
