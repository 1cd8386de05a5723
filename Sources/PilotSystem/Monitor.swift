import Glibc

/// A value guarded by a mutex, with a condition variable for waiting until
/// a predicate over the value holds. Waiters sleep; nothing polls.
package final class Monitor<Value>: @unchecked Sendable {
    // The pthread objects live on the heap so their addresses never move.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var value: Value

    /// Creates a monitor holding `value`.
    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Wakes every waiter so it re-checks its predicate.
    package func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Sleeps until `ready` returns a value or the monotonic `deadline`
    /// (seconds, `WallClock`-style; nil waits forever) passes; then nil.
    package func wait<Result>(until deadline: Double?, _ ready: (inout Value) -> Result?) -> Result? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let result = ready(&value) { return result }
            guard let deadline else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            var spec = timespec()
            let whole = deadline.rounded(.down)
            guard whole < Double(Int.max) else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            spec.tv_sec = Int(whole)
            spec.tv_nsec = Int((deadline - whole) * 1e9)
            if pthread_cond_timedwait(condition, mutex, &spec) == ETIMEDOUT {
                return ready(&value)
            }
        }
    }
}
