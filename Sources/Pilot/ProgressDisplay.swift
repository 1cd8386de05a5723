import Glibc
import PilotModel
import PilotSystem

/// How stderr shows one wait's progress, chosen from `ProgressReporting.Display`.
enum ProgressDisplay {
    /// A line on the terminal, redrawn in place, then the summary.
    case terminal
    /// The summary alone, after a wait of a second or more.
    case summary

    /// Seconds between redraws of the line.
    static let interval = 0.5
    /// Waits shorter than this show nothing on stderr.
    static let quietSeconds = 1.0
    /// The variable that turns the automatic display off ("0").
    static let variable = "PILOT_PROGRESS"

    /// The display for `display`, or nil for none.
    init?(_ display: ProgressReporting.Display) {
        guard case .automatic = display, Environment.value(Self.variable) != "0" else { return nil }
        self = isatty(2) == 1 ? .terminal : .summary
    }

    /// An update while the wait lasts.
    func update(_ progress: WaitProgress) {
        guard case .terminal = self, progress.elapsed >= Self.quietSeconds else { return }
        StandardStreams.error("\r\u{1B}[K" + Self.fitted("pilot: " + progress.line))
    }

    /// The wait has ended.
    func finish(_ progress: WaitProgress) {
        guard progress.elapsed >= Self.quietSeconds else { return }
        StandardStreams.error((self == .terminal ? "\r\u{1B}[K" : "") + "pilot: " + progress.summary + "\n")
    }

    /// `line` cut to the terminal's width, so that it never wraps (a
    /// wrapped line cannot be redrawn in place).
    private static func fitted(_ line: String) -> String {
        var size = winsize()
        let columns = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 1 ? Int(size.ws_col) - 1 : 79
        return String(line.prefix(columns))
    }
}
