import Glibc
import PilotModel
import PilotSystem
import Synchronization

/// A coordinator's hold on its session directory: an exclusive `flock` on
/// the directory itself. A second coordinator on the same directory (a
/// second `pilotctl serve`, or a session opened on a served one's
/// directory) is refused instead of taking the session over; the kernel
/// releases the lock when the process ends, so a restart after `kill -9`
/// takes it at once.
final class SessionLock: Sendable {
    private let descriptor: Mutex<Int32>

    /// Locks `directory`, or says who holds it.
    init(_ directory: String) throws(PilotError) {
        let opened = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard opened >= 0 else {
            throw PilotError(.backend, "cannot open the session directory \(directory): \(FileSystem.errorText(errno))")
        }
        guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(opened)
            if reason == EWOULDBLOCK {
                throw PilotError(.invalidState, "the session directory \(directory) is in use by another coordinator (a running pilotctl serve, or a process with a session on it); connect to it with --session \(directory), or stop that one first")
            }
            throw PilotError(.backend, "cannot lock the session directory \(directory): \(FileSystem.errorText(reason))")
        }
        descriptor = Mutex(opened)
    }

    /// Lets another coordinator take the directory. Idempotent.
    func release() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
    }

    deinit {
        release()
    }
}
