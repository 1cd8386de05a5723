import Glibc

/// Blocking pauses, for the few places that must ask an outside system again
/// (a batch manager's queue): never on an event loop.
package enum Sleep {
    /// Sleeps `seconds` (resumed after signals until the time has passed).
    package static func seconds(_ seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
