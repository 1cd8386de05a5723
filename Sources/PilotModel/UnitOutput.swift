/// A file a shell can read from a session: a unit's output, wherever the
/// unit runs, or a pilot's agent log.
public enum OutputSource: Sendable, Equatable {
    /// Unit `id`'s standard output (`error`: its standard error) file.
    case unit(String, error: Bool)
    /// Pilot `id`'s log, kept beside the coordinator: its agent's lines,
    /// its state changes and its failed units.
    case agentLog(String)

    /// The unit or pilot id.
    public var objectID: String {
        switch self {
        case .unit(let id, _), .agentLog(let id): id
        }
    }
}

/// Bytes read from an `OutputSource`.
public struct OutputChunk: Sendable, Equatable {
    /// The bytes, from the offset asked for.
    public var bytes: [UInt8]
    /// The file's size when it was read (0 before the file exists).
    public var size: Int64
    /// Whether the file can still grow: false once the unit (or pilot) is final.
    public var growing: Bool

    /// Creates a chunk.
    public init(bytes: [UInt8], size: Int64, growing: Bool) {
        self.bytes = bytes
        self.size = size
        self.growing = growing
    }
}
