import PilotModel

/// A wait on the units of a session, or of one ComputeDataService or pilot,
/// that shows its progress while it lasts: the wait runs in slices, and
/// between slices the display and the observer get the units' counts (one
/// pass over them per slice).
struct ProgressingWait {
    let session: Session
    /// The ComputeDataService or pilot whose units are waited for; nil: all.
    let scope: String?
    let reporting: ProgressReporting

    /// Runs `waitFor` (a wait with a timeout in seconds, nil for none) to
    /// the end, or until `timeout` has passed, showing progress meanwhile.
    func run(timeout: Double?, _ waitFor: (Double?) throws(PilotError) -> Void) throws(PilotError) {
        let display = ProgressDisplay(reporting.display)
        let observer = reporting.observer
        guard display != nil || observer != nil else { return try waitFor(timeout) }
        let limit = try WaitLimit(seconds: timeout)
        let began = WallClock.monotonic()
        let finalAtStart = try progress(began: began, finalAtStart: 0).final
        let slice = observer == nil ? ProgressDisplay.interval : min(max(reporting.interval, 0.01), ProgressDisplay.interval)
        var failure: PilotError?
        if display == .terminal || observer != nil {
            while true {
                do throws(PilotError) {
                    try waitFor(min(slice, limit.remaining ?? slice))
                    break
                } catch where error.code == .timeout && !limit.hasPassed {
                    let now = try progress(began: began, finalAtStart: finalAtStart)
                    display?.update(now)
                    if let observer, !observer(now) {
                        failure = PilotError(.interrupted, "the wait for \(scope ?? session.id) was stopped by its progress observer")
                        break
                    }
                } catch where error.code == .timeout {
                    failure = PilotError(.timeout, "\(scope ?? session.id) did not finish within \(limit.text)")
                    break
                } catch {
                    failure = error
                    break
                }
            }
        } else {
            do throws(PilotError) {
                try waitFor(timeout)
            } catch where error.code == .timeout {
                failure = PilotError(.timeout, "\(scope ?? session.id) did not finish within \(limit.text)")
            } catch {
                failure = error
            }
        }
        let end = try progress(began: began, finalAtStart: finalAtStart)
        display?.finish(end)
        if failure?.code != .interrupted { _ = observer?(end) }
        if let failure { throw failure }
    }

    private func progress(began: Double, finalAtStart: Int) throws(PilotError) -> WaitProgress {
        WaitProgress(counts: try session.overview(scope: scope).unitCounts,
                     elapsed: WallClock.monotonic() - began, finalAtStart: finalAtStart)
    }
}
