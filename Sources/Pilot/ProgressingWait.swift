import PilotModel

/// A wait on the units of a session, or of one ComputeDataService or pilot,
/// that shows its progress while it lasts: the wait runs in slices, and between slices
/// the display gets the units' counts (one pass over them, twice a second).
struct ProgressingWait {
    let session: Session
    /// The ComputeDataService or pilot whose units are waited for; nil: all.
    let scope: String?
    let reporting: ProgressReporting

    /// Runs `waitFor` (a wait with a timeout in seconds, nil for none) to
    /// the end, or until `timeout` has passed, showing progress meanwhile.
    func run(timeout: Double?, _ waitFor: (Double?) throws(PilotError) -> Void) throws(PilotError) {
        guard let display = ProgressDisplay(reporting) else { return try waitFor(timeout) }
        let limit = try WaitLimit(seconds: timeout)
        let began = WallClock.monotonic()
        let finalAtStart = try progress(began: began, finalAtStart: 0).final
        var failure: PilotError?
        if display.isLive {
            while true {
                do throws(PilotError) {
                    try waitFor(min(ProgressDisplay.interval, limit.remaining ?? ProgressDisplay.interval))
                    break
                } catch where error.code == .timeout && !limit.hasPassed {
                    display.update(try progress(began: began, finalAtStart: finalAtStart))
                } catch where error.code == .timeout {
                    failure = PilotError(.timeout, "\(scope ?? session.id) did not finish within \(limit.text)")
                    break
                } catch {
                    failure = error
                    break
                }
            }
        } else {
            do throws(PilotError) { try waitFor(timeout) } catch { failure = error }
        }
        display.finish(try progress(began: began, finalAtStart: finalAtStart))
        if let failure { throw failure }
    }

    private func progress(began: Double, finalAtStart: Int) throws(PilotError) -> WaitProgress {
        WaitProgress(counts: try session.overview(scope: scope).unitCounts,
                     elapsed: WallClock.monotonic() - began, finalAtStart: finalAtStart)
    }
}
