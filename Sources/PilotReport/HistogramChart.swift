/// A histogram of durations as a small SVG drawing, with its median and
/// 95th percentile marked.
struct HistogramChart {
    let title: String
    let distribution: Distribution

    private let width = 560.0
    private let height = 170.0
    private let left = 40.0
    private let plotHeight = 120.0
    private let bins = 40

    private func number(_ value: Double) -> String { Markup.decimal(value, places: 1) }

    /// The drawing.
    var svg: String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\">"
        out += "<text x=\"\(number(left))\" y=\"12\">\(Markup.escaped(title)): median \(Markup.seconds(distribution.median)), p95 \(Markup.seconds(distribution.p95)), max \(Markup.seconds(distribution.maximum)) (\(distribution.count) units)</text>"
        let bottom = 20 + plotHeight
        let plotWidth = width - left - 10
        out += "<line class=\"axis\" x1=\"\(number(left))\" x2=\"\(number(left + plotWidth))\" y1=\"\(number(bottom))\" y2=\"\(number(bottom))\"/>"
        guard let low = distribution.minimum, let high = distribution.maximum else { return out + "</svg>" }
        let counts = distribution.histogram(bins: bins)
        let tallest = Double(counts.max() ?? 1)
        let barWidth = plotWidth / Double(bins)
        for (bin, count) in counts.enumerated() where count > 0 {
            let barHeight = Double(count) / tallest * plotHeight
            out += "<rect class=\"s5\" x=\"\(number(left + Double(bin) * barWidth))\" y=\"\(number(bottom - barHeight))\" width=\"\(number(max(barWidth - 1, 0.5)))\" height=\"\(number(barHeight))\"><title>\(count)</title></rect>"
        }
        out += "<text x=\"\(number(left - 4))\" y=\"26\" text-anchor=\"end\">\(counts.max() ?? 0)</text>"
        out += "<text x=\"\(number(left))\" y=\"\(number(bottom + 14))\">\(Markup.seconds(low))</text>"
        out += "<text x=\"\(number(left + plotWidth))\" y=\"\(number(bottom + 14))\" text-anchor=\"end\">\(Markup.seconds(high))</text>"
        for (label, value) in [("median", distribution.median), ("p95", distribution.p95)] {
            guard let value else { continue }
            let x = number(high > low ? left + (value - low) / (high - low) * plotWidth : left)
            out += "<line class=\"mark\" x1=\"\(x)\" x2=\"\(x)\" y1=\"20\" y2=\"\(number(bottom))\"/>"
            out += "<text x=\"\(x)\" y=\"\(number(bottom + 26))\" text-anchor=\"middle\">\(label)</text>"
        }
        return out + "</svg>"
    }
}
