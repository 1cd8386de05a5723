import Glibc

/// Kills process groups that are still running when a deadline passes, so
/// a command that hangs (a host that stopped answering, a stopped process
/// on the other side of a pipe) cannot block its caller for ever.
package final class Watchdog: Sendable {
    private let ended = Monitor(false)
    private let fired = Monitor(false)

    /// Watches `groups` (process group ids) for `seconds`. If no thread can
    /// be started, the commands run without a limit.
    package init(seconds: Double, groups: [pid_t]) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let deadline = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 + seconds
        _ = startThread { [ended, fired] in
            guard ended.wait(until: deadline, { $0 ? true : nil }) == nil else { return }
            fired.withLock { $0 = true }
            for group in groups { _ = ProcessSpawner.signalGroup(group, SIGKILL) }
        }
    }

    /// The commands ended: stop watching. Returns whether the deadline had
    /// passed and they were killed.
    package func stop() -> Bool {
        ended.withLock { $0 = true }
        ended.broadcast()
        return fired.withLock { $0 }
    }
}
