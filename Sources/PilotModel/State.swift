/// The states of pilots and units. The raw values are the C ABI's
/// `PILOT_STATE_*` constants; `name` is the contract's state string, which
/// is also how a state reads in JSON.
public enum State: Int32, Sendable, CaseIterable, Codable {
    /// Not known (for example, an object from another session).
    case unknown = 0
    /// Accepted, not yet bound to a pilot.
    case new = 1
    /// Bound to a pilot and waiting for slots; for pilots, queued.
    case pending = 2
    /// Input files are being staged.
    case staging = 3
    /// Executing.
    case running = 4
    /// Finished successfully (exit code 0; for pilots, ended normally).
    case done = 5
    /// Cancelled on request.
    case canceled = 6
    /// Finished unsuccessfully; the object's reason says why.
    case failed = 7

    /// The contract's string for this state (`"Running"`, `"Done"`, ...).
    public var name: String {
        switch self {
        case .unknown: "Unknown"
        case .new: "New"
        case .pending: "Pending"
        case .staging: "Staging"
        case .running: "Running"
        case .done: "Done"
        case .canceled: "Canceled"
        case .failed: "Failed"
        }
    }

    /// True for Done, Canceled and Failed: no transition leaves them.
    public var isFinal: Bool { self == .done || self == .canceled || self == .failed }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let state = State.allCases.first(where: { $0.name == name }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown state \(quoted(name))"))
        }
        self = state
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// The legal transitions of a compute unit:
/// New → Pending → (Staging →) Running → Done | Failed | Canceled,
/// from any non-final state straight to Failed or Canceled, Pending (or
/// Staging) back to New when a pilot hands back a late-bound unit it never started, and
/// Running back to New when a restartable unit's pilot is lost or ends.
package enum UnitLifecycle {
    /// Whether a unit may move from `from` to `to`.
    public static func allows(_ from: State, _ to: State) -> Bool {
        switch (from, to) {
        case (.new, .pending), (.pending, .staging), (.pending, .running), (.staging, .running),
             (.running, .done), (.pending, .new), (.staging, .new), (.running, .new):
            true
        case (.new, .failed), (.pending, .failed), (.staging, .failed), (.running, .failed),
             (.new, .canceled), (.pending, .canceled), (.staging, .canceled), (.running, .canceled):
            true
        default:
            false
        }
    }
}

/// The legal transitions of a pilot: Pending → Running → Done | Failed | Canceled,
/// and Pending straight to Failed or Canceled.
package enum PilotLifecycle {
    /// Whether a pilot may move from `from` to `to`.
    public static func allows(_ from: State, _ to: State) -> Bool {
        switch (from, to) {
        case (.pending, .running), (.pending, .failed), (.pending, .canceled),
             (.running, .done), (.running, .failed), (.running, .canceled):
            true
        default:
            false
        }
    }
}
