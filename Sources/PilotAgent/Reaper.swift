import Dispatch
import Glibc
import PilotSystem

/// Reaps the agent's children on one dedicated thread. Every child the
/// agent starts is a unit, so `wait4(-1)` sees only units; a semaphore
/// holds one token per live child so the thread sleeps when none exist.
final class Reaper: Sendable {
    private let liveChildren = DispatchSemaphore(value: 0)

    /// Starts the thread; `exited` is called (on that thread) for every child.
    init?(exited: @escaping @Sendable (pid_t, Int32) -> Void) {
        let liveChildren = liveChildren
        let started = startThread {
            while true {
                liveChildren.wait()
                var status: Int32 = 0
                var pid: pid_t
                repeat {
                    pid = wait4(-1, &status, 0, nil)
                } while pid < 0 && errno == EINTR
                guard pid > 0 else { continue }
                // Whatever the unit left behind in its process group ends with it.
                kill(-pid, SIGKILL)
                exited(pid, status)
            }
        }
        guard started else { return nil }
    }

    /// Tells the reaper that one more child exists.
    func childStarted() {
        liveChildren.signal()
    }
}
