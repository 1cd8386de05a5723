/// How busy the pilots' lanes were over the span: running units as a
/// share of the timeline's capacity.
package struct Utilisation: Sendable {
    /// The time-weighted mean share in each of equal slices of the span.
    package let shares: [Double]
    /// The mean share over the whole span: the units' run seconds over
    /// capacity × span (nil without capacity or span).
    package let mean: Double?

    /// The utilisation of `timeline` in `slices` slices.
    package init(_ timeline: Timeline, slices: Int) {
        let span = timeline.span
        let capacity = Double(timeline.capacity)
        guard slices > 0, span > 0, span.isFinite, capacity > 0 else {
            shares = []
            mean = nil
            return
        }
        let width = span / Double(slices)
        var busy = [Double](repeating: 0, count: slices)
        var total = 0.0
        for bar in timeline.bars {
            total += bar.end - bar.start
            let first = Self.slice(bar.start - timeline.start, width, slices)
            let last = Self.slice(bar.end - timeline.start, width, slices)
            for slice in first...max(first, last) {
                let sliceStart = timeline.start + Double(slice) * width
                busy[slice] += max(0, min(bar.end, sliceStart + width) - max(bar.start, sliceStart))
            }
        }
        shares = busy.map { $0 / (width * capacity) }
        mean = total / (span * capacity)
    }

    /// The slice that `offset` seconds into the span falls in.
    private static func slice(_ offset: Double, _ width: Double, _ slices: Int) -> Int {
        let position = offset / width
        return position.isFinite ? Int(min(max(position, 0), Double(slices - 1))) : slices - 1
    }
}
