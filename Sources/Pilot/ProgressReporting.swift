import PilotModel

/// How a long wait shows its progress.
public enum ProgressReporting: Sendable {
    /// When stderr is a terminal: one line there, updated twice a second,
    /// then a summary line. Otherwise the summary line alone, after waits
    /// of a second or more. With `PILOT_PROGRESS=0` in the environment: nothing.
    case automatic
    /// Nothing.
    case none
    /// `report` is called about twice a second while the wait lasts, and
    /// once when it ends, on the waiting thread.
    case callback(@Sendable (WaitProgress) -> Void)
}
