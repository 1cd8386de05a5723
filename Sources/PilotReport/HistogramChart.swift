/// A histogram of durations as a small SVG drawing, with its median and
/// 95th percentile marked.
struct HistogramChart {
    let title: String
    let distribution: Distribution

    /// The drawing's size, its left margin (for the count), the bars' height and their number.
    private var width: Double { 560 }
    private var height: Double { 170 }
    private var left: Double { 40 }
    private var plotHeight: Double { 120 }
    private var bins: Int { 40 }

    /// The drawing.
    var svg: String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Markup.coordinate(width))\" height=\"\(Markup.coordinate(height))\">"
        out += "<text x=\"\(Markup.coordinate(left))\" y=\"12\">\(Markup.escaped(title)): median \(Markup.seconds(distribution.median)), p95 \(Markup.seconds(distribution.p95)), max \(Markup.seconds(distribution.maximum)) (\(distribution.count) units)</text>"
        let bottom = 20 + plotHeight
        let plotWidth = width - left - 10
        out += "<line class=\"axis\" x1=\"\(Markup.coordinate(left))\" x2=\"\(Markup.coordinate(left + plotWidth))\" y1=\"\(Markup.coordinate(bottom))\" y2=\"\(Markup.coordinate(bottom))\"/>"
        guard let low = distribution.minimum, let high = distribution.maximum else { return out + "</svg>" }
        let counts = distribution.histogram(bins: bins)
        let tallest = Double(counts.max() ?? 1)
        let barWidth = plotWidth / Double(bins)
        for (bin, count) in counts.enumerated() where count > 0 {
            let barHeight = Double(count) / tallest * plotHeight
            out += "<rect class=\"s5\" x=\"\(Markup.coordinate(left + Double(bin) * barWidth))\" y=\"\(Markup.coordinate(bottom - barHeight))\" width=\"\(Markup.coordinate(max(barWidth - 1, 0.5)))\" height=\"\(Markup.coordinate(barHeight))\"><title>\(count)</title></rect>"
        }
        out += "<text x=\"\(Markup.coordinate(left - 4))\" y=\"26\" text-anchor=\"end\">\(counts.max() ?? 0)</text>"
        out += "<text x=\"\(Markup.coordinate(left))\" y=\"\(Markup.coordinate(bottom + 14))\">\(Markup.seconds(low))</text>"
        out += "<text x=\"\(Markup.coordinate(left + plotWidth))\" y=\"\(Markup.coordinate(bottom + 14))\" text-anchor=\"end\">\(Markup.seconds(high))</text>"
        for (label, value) in [("median", distribution.median), ("p95", distribution.p95)] {
            guard let value else { continue }
            let x = Markup.coordinate(high > low ? left + (value - low) / (high - low) * plotWidth : left)
            out += "<line class=\"mark\" x1=\"\(x)\" x2=\"\(x)\" y1=\"20\" y2=\"\(Markup.coordinate(bottom))\"/>"
            out += "<text x=\"\(x)\" y=\"\(Markup.coordinate(bottom + 26))\" text-anchor=\"middle\">\(label)</text>"
        }
        return out + "</svg>"
    }
}
