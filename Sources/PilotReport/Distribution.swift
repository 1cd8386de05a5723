/// A distribution of durations: its order statistics and a histogram.
package struct Distribution: Sendable, Equatable {
    /// The values, finite ones only, in ascending order.
    package let sorted: [Double]

    /// The distribution of the finite `values`.
    package init(_ values: [Double]) {
        sorted = values.filter(\.isFinite).sorted()
    }

    package var count: Int { sorted.count }

    /// The middle value; the mean of the two middle ones for an even count.
    package var median: Double? {
        guard let upper = sorted.dropFirst(sorted.count / 2).first else { return nil }
        guard sorted.count % 2 == 0, let lower = sorted.dropFirst(sorted.count / 2 - 1).first else { return upper }
        return (lower + upper) / 2
    }

    /// The nearest-rank 95th percentile: the smallest value at least 95 %
    /// of the values are not above (the value at rank ⌈0.95 n⌉).
    package var p95: Double? {
        let rank = (sorted.count * 95 + 99) / 100
        return sorted.dropFirst(max(rank - 1, 0)).first
    }

    package var minimum: Double? { sorted.first }
    package var maximum: Double? { sorted.last }

    /// Counts in `bins` equal bins from the minimum to the maximum (the
    /// maximum in the last bin); all in the first when every value is the same.
    package func histogram(bins: Int) -> [Int] {
        guard bins > 0 else { return [] }
        var counts = [Int](repeating: 0, count: bins)
        guard let low = sorted.first, let high = sorted.last else { return counts }
        let width = (high - low) / Double(bins)
        for value in sorted {
            // Clamped before converting: a span too wide for a Double gives no finite position.
            let position = width > 0 ? (value - low) / width : 0
            counts[position.isFinite ? Int(min(max(position, 0), Double(bins - 1))) : bins - 1] += 1
        }
        return counts
    }
}
