import Glibc
import NIOCore
import PilotLink
import PilotModel

/// The benchmark tool's stand-in for processes (see `Agent.emulationVariable`):
/// a unit "runs" for its declared duration and exits 0. Units due in the
/// same millisecond share one timer, so emulating thousands of slots costs
/// the agent little. Confined to the executor's event loop.
final class EmulatedUnits {
    private let eventLoop: EventLoop
    private let ended: (pid_t) -> Void
    private var lastPid: pid_t = 0
    private var due: [Int64: [pid_t]] = [:]

    /// - Parameter ended: called (on the loop) when an emulated unit is over.
    init(eventLoop: EventLoop, ended: @escaping (pid_t) -> Void) {
        self.eventLoop = eventLoop
        self.ended = ended
    }

    /// Starts `task`; returns its pseudo-pid (negative, so no signal can reach a real process).
    func start(_ task: UnitTask) -> pid_t {
        lastPid -= 1
        let pid = lastPid
        // Clamped (31 years) so no duration can overflow the millisecond count.
        let millisecond = (WallClock.monotonic() + min(task.duration ?? 0, 1e9)) * 1000
        let bucket = Int64(millisecond.rounded(.up))
        if due[bucket] == nil {
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            let delay = TimeAmount.nanoseconds(max(0, Int64((Double(bucket) - WallClock.monotonic() * 1000) * 1e6)))
            eventLoop.scheduleTask(in: delay) { bound.value.expire(bucket) }
        }
        due[bucket, default: []].append(pid)
        return pid
    }

    private func expire(_ bucket: Int64) {
        for pid in due.removeValue(forKey: bucket) ?? [] { ended(pid) }
    }
}
