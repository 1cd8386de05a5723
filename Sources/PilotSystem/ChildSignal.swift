import CPilotSystem
import Glibc

/// SIGCHLD as a readable descriptor, so an event loop learns of exited
/// children in the thread that starts the next one (no hand-off between
/// threads on the path from one unit's exit to the next unit's start).
package enum ChildSignal {
    /// Blocks SIGCHLD in the calling thread and returns a signalfd for it,
    /// or the reason it could not. Call before any other thread starts: a
    /// thread with SIGCHLD unblocked would swallow the signal.
    package static func makeDescriptor() -> Result<Int32, SpawnFailure> {
        let descriptor = cpilot_child_signal_fd()
        guard descriptor >= 0 else {
            return .failure(SpawnFailure("cannot watch for exited units (signalfd): \(FileSystem.errorText(errno))"))
        }
        return .success(descriptor)
    }

    /// Reaps every child that has ended, without blocking, calling `exited`
    /// with its pid and wait status.
    package static func reapExited(_ exited: (pid_t, Int32) -> Void) {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid < 0 && errno == EINTR { continue }
            guard pid > 0 else { return }
            exited(pid, status)
        }
    }
}
