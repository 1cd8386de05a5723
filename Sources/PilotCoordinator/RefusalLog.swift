import Logging
import PilotModel
import PilotSystem

/// Logs refused network peers, at most `burst` lines per `window` seconds:
/// a flood of junk connections must not flood the log. What is left out
/// is counted and reported with the next line.
final class RefusalLog: Sendable {
    private struct Window {
        var start = 0.0
        var logged = 0
        var skipped = 0
    }

    private let window = Monitor(Window())
    private let burst: Int
    private let seconds: Double
    private let emit: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double

    /// `emit` writes a line (default: the coordinator's log, as a warning);
    /// `clock` tells seconds (default: the monotonic clock).
    init(burst: Int = 20, seconds: Double = 10,
         emit: @escaping @Sendable (String) -> Void = { Logger(label: "pilot.coordinator").warning("\($0)") },
         clock: @escaping @Sendable () -> Double = WallClock.monotonic) {
        self.burst = burst
        self.seconds = seconds
        self.emit = emit
        self.clock = clock
    }

    /// Logs `line` unless this window's lines are used up.
    func log(_ line: String) {
        let now = clock()
        let skipped = window.withLock { window -> Int? in
            if window.logged == 0 || now - window.start >= seconds {
                let skipped = window.skipped
                window = Window(start: now)
                window.logged = 1
                return skipped
            }
            guard window.logged < burst else {
                window.skipped += 1
                return nil
            }
            window.logged += 1
            return 0
        }
        guard let skipped else { return }
        let note = skipped > 0 ? " (\(skipped) more refusals in the last window were not logged)" : ""
        emit("network link: \(line)\(note)")
    }
}
