import CPilotHeader
import Pilot

/// `pilot_cds_wait_progress`.
@_cdecl("pilot_cds_wait_progress")
public func pilot_cds_wait_progress(
    _ handle: OpaquePointer?, _ seconds: Double, _ display: Int32, _ interval: Double,
    _ function: pilot_progress_fn?, _ context: UnsafeMutableRawPointer?
) -> Int32 {
    status { () throws(PilotError) in
        let shown: ProgressReporting.Display
        switch display {
        case Int32(PILOT_PROGRESS_NONE.rawValue): shown = .none
        case Int32(PILOT_PROGRESS_AUTO.rawValue): shown = .automatic
        default:
            throw PilotError(.invalidArgument, "display \(display) is no pilot_progress_display; pass PILOT_PROGRESS_NONE or PILOT_PROGRESS_AUTO")
        }
        guard interval.isFinite, interval > 0 else {
            throw PilotError(.invalidArgument, "interval \(interval) is not a positive number of seconds")
        }
        // The caller's context is an address it owns; carried as a number
        // so the observer can be Sendable (it runs on the calling thread).
        let address = UInt(bitPattern: context)
        let observer = function.map { function in
            { @Sendable (progress: WaitProgress) -> Bool in
                var record = pilot_progress(
                    total: Int64(progress.total), done: Int64(progress.done), failed: Int64(progress.failed),
                    canceled: Int64(progress.canceled), running: Int64(progress.running), queued: Int64(progress.queued),
                    elapsed: progress.elapsed, rate: progress.rate, eta: progress.estimatedRemaining ?? -1)
                return function(&record, UnsafeMutableRawPointer(bitPattern: address)) == 0
            }
        }
        let reporting = ProgressReporting(display: shown, observer: observer, interval: interval)
        try cds(handle).wait(timeout: seconds, progress: reporting)
    }
}
