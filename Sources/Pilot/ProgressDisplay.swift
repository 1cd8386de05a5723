import Glibc
import PilotModel
import PilotSystem

/// Where one wait's progress goes, chosen from a `ProgressReporting`.
enum ProgressDisplay {
    /// A line on the terminal, redrawn in place, then the summary.
    case terminal
    /// The summary alone, after a wait of a second or more.
    case summary
    /// The caller's function.
    case callback(@Sendable (WaitProgress) -> Void)

    /// Seconds between updates.
    static let interval = 0.5
    /// Waits shorter than this show nothing on stderr.
    static let quietSeconds = 1.0
    /// The variable that turns the automatic display off ("0").
    static let variable = "PILOT_PROGRESS"

    /// The display for `reporting`, or nil for none.
    init?(_ reporting: ProgressReporting) {
        switch reporting {
        case .none: return nil
        case .callback(let report): self = .callback(report)
        case .automatic:
            guard Environment.value(Self.variable) != "0" else { return nil }
            self = isatty(2) == 1 ? .terminal : .summary
        }
    }

    /// Whether it wants updates while the wait lasts.
    var isLive: Bool {
        if case .summary = self { false } else { true }
    }

    /// An update while the wait lasts.
    func update(_ progress: WaitProgress) {
        switch self {
        case .terminal where progress.elapsed >= Self.quietSeconds:
            StandardStreams.error("\r\u{1B}[K" + Self.fitted("pilot: " + progress.line))
        case .callback(let report): report(progress)
        default: break
        }
    }

    /// The wait has ended.
    func finish(_ progress: WaitProgress) {
        switch self {
        case .terminal where progress.elapsed >= Self.quietSeconds:
            StandardStreams.error("\r\u{1B}[K" + "pilot: " + progress.summary + "\n")
        case .summary where progress.elapsed >= Self.quietSeconds:
            StandardStreams.error("pilot: " + progress.summary + "\n")
        case .callback(let report): report(progress)
        default: break
        }
    }

    /// `line` cut to the terminal's width, so that it never wraps (a
    /// wrapped line cannot be redrawn in place).
    private static func fitted(_ line: String) -> String {
        var size = winsize()
        let columns = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 1 ? Int(size.ws_col) - 1 : 79
        return String(line.prefix(columns))
    }
}
