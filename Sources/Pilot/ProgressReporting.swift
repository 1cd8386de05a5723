import PilotModel

/// How a long wait shows its progress: on stderr, to an observer, both or neither.
public struct ProgressReporting: Sendable {
    /// Whether stderr shows progress.
    public enum Display: Sendable {
        /// When stderr is a terminal: one line there, updated twice a
        /// second, then a summary line. Otherwise the summary line alone,
        /// after waits of a second or more. With `PILOT_PROGRESS=0` in the
        /// environment: nothing.
        case automatic
        /// Nothing on stderr.
        case none
    }

    /// What stderr shows.
    public var display: Display
    /// Called on the waiting thread every `interval` seconds while the wait
    /// lasts, and once when it ends; returning false stops the wait, which
    /// then throws an interrupted error.
    public var observer: (@Sendable (WaitProgress) -> Bool)?
    /// Seconds between observer calls.
    public var interval: Double

    /// Progress shown as `display` says, and given to `observer`.
    public init(display: Display, observer: (@Sendable (WaitProgress) -> Bool)? = nil, interval: Double = 0.5) {
        self.display = display
        self.observer = observer
        self.interval = interval
    }

    /// Progress on stderr as `Display.automatic` describes.
    public static let automatic = ProgressReporting(display: .automatic)
    /// No progress at all.
    public static let none = ProgressReporting(display: .none)

    /// Progress given to `report` only, about twice a second.
    public static func callback(_ report: @escaping @Sendable (WaitProgress) -> Void) -> ProgressReporting {
        ProgressReporting(display: .none) { progress in
            report(progress)
            return true
        }
    }
}
