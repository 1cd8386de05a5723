import Glibc

/// Time as seconds since 1970 (for records) and a monotonic clock (for timeouts).
package enum WallClock {
    /// Seconds since 1970, with sub-microsecond resolution.
    package static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Seconds on a clock that never jumps, for deadlines.
    package static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
