import Glibc

/// Tick marks for a time axis of seconds: a round step (1, 2 or 5 times a
/// power of ten) giving at most `most` ticks over `span`.
enum TimeAxis {
    /// Offsets in seconds from the start, from 0 up to `span`.
    static func ticks(span: Double, most: Int = 10) -> [Double] {
        guard span > 0, span.isFinite, most > 0 else { return [0] }
        let magnitude = pow(10, floor(log10(span / Double(most))))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { span / $0 <= Double(most) } ?? magnitude * 10
        return (0...most).map { Double($0) * step }.filter { $0 <= span }
    }
}
