/// How long a wait may last, read the same way by every wait of every
/// face: nil, negative or infinite seconds wait without limit; NaN is an
/// error. The deadline is on the monotonic clock.
package struct WaitLimit: Sendable {
    /// The seconds asked for, as given (for messages).
    package let seconds: Double?
    /// When the wait ends; nil: never.
    package let deadline: Double?

    /// The limit for a caller's `seconds`, counted from now.
    package init(seconds: Double?) throws(PilotError) {
        if let seconds, seconds.isNaN {
            throw PilotError(.invalidArgument, "timeout is NaN; pass seconds, or a negative number to wait without limit")
        }
        self.seconds = seconds
        deadline = seconds.flatMap { $0 < 0 || $0.isInfinite ? nil : WallClock.monotonic() + $0 }
    }

    /// Seconds left (never negative); nil without a limit.
    package var remaining: Double? {
        deadline.map { max(0, $0 - WallClock.monotonic()) }
    }

    /// The limit as a message says it ("5 s").
    package var text: String {
        durationText(seconds ?? 0)
    }

    /// Whether the deadline has passed.
    package var hasPassed: Bool {
        deadline.map { WallClock.monotonic() >= $0 } ?? false
    }
}
