/// The Gantt chart of units per lane and the utilisation under it, as one
/// SVG drawing (standalone: it carries its own style).
struct TimelineChart {
    let journal: SessionJournal
    let timeline: Timeline
    let utilisation: Utilisation

    private let width = 1200.0
    private let labelWidth = 200.0
    private let plotWidth = 980.0
    private let legendHeight = 24.0
    private let axisHeight = 26.0
    private let utilisationHeight = 110.0

    /// Lane height: 10 px, thinner for many lanes so the chart stays under about 700 px.
    private var laneHeight: Double {
        timeline.laneCount <= 70 ? 10 : max(1, 700 / Double(timeline.laneCount))
    }

    private var ganttHeight: Double { Double(timeline.laneCount) * laneHeight }

    /// The x coordinate of time `time`.
    private func x(_ time: Double) -> Double {
        timeline.span > 0 ? labelWidth + (time - timeline.start) / timeline.span * plotWidth : labelWidth
    }

    /// The drawing.
    var svg: String {
        let utilisationTop = legendHeight + ganttHeight + axisHeight + 28
        let height = utilisationTop + utilisationHeight + axisHeight
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Markup.coordinate(width))\" height=\"\(Markup.coordinate(height))\" viewBox=\"0 0 \(Markup.coordinate(width)) \(Markup.coordinate(height))\">"
        out += "<style>\(StateStyle.css)</style>"
        out += legend()
        out += lanes()
        out += axis(top: legendHeight + ganttHeight)
        out += utilisationPlot(top: utilisationTop)
        out += axis(top: utilisationTop + utilisationHeight)
        return out + "</svg>"
    }

    private func legend() -> String {
        var out = ""
        var left = labelWidth
        for entry in StateStyle.legend {
            out += "<rect x=\"\(Markup.coordinate(left))\" y=\"6\" width=\"10\" height=\"10\" class=\"\(entry.className)\"/>"
            out += "<text x=\"\(Markup.coordinate(left + 14))\" y=\"15\">\(Markup.escaped(entry.label))</text>"
            left += 24 + Double(entry.label.count) * 6
        }
        return out
    }

    /// One row of lanes per pilot and host, one rect per unit.
    private func lanes() -> String {
        var out = ""
        out.reserveCapacity(timeline.bars.count * 110)
        for group in timeline.groups {
            let top = legendHeight + Double(group.firstLane) * laneHeight
            let middle = top + Double(group.laneCount) * laneHeight / 2 + 4
            out += "<line class=\"grid\" x1=\"0\" x2=\"\(Markup.coordinate(width))\" y1=\"\(Markup.coordinate(top))\" y2=\"\(Markup.coordinate(top))\"/>"
            out += "<text x=\"4\" y=\"\(Markup.coordinate(middle))\"><title>\(Markup.escaped(group.pilotID))</title>"
            out += "\(Markup.escaped(String(group.pilotID.prefix(11))))… \(Markup.escaped(group.host)) (\(group.laneCount) lanes)</text>"
        }
        let height = Markup.coordinate(max(laneHeight - (laneHeight >= 4 ? 1 : 0), 0.5))
        for bar in timeline.bars {
            guard journal.units.indices.contains(bar.unit) else { continue }
            let unit = journal.units[bar.unit]
            let left = x(bar.start)
            out += "<rect x=\"\(Markup.coordinate(left))\" y=\"\(Markup.coordinate(legendHeight + Double(bar.lane) * laneHeight))\" width=\"\(Markup.coordinate(max(x(bar.end) - left, 0.5)))\" height=\"\(height)\" class=\"\(StateStyle.className(unit.state))\">"
            out += "<title>\(Markup.escaped(unit.id)) \(unit.state.name) \(Markup.seconds(bar.end - bar.start))</title></rect>"
        }
        return out
    }

    /// A time axis at `top`, labelled in seconds since the first submission.
    private func axis(top: Double) -> String {
        var out = "<line class=\"axis\" x1=\"\(Markup.coordinate(labelWidth))\" x2=\"\(Markup.coordinate(labelWidth + plotWidth))\" y1=\"\(Markup.coordinate(top))\" y2=\"\(Markup.coordinate(top))\"/>"
        for tick in TimeAxis.ticks(span: timeline.span) {
            let position = Markup.coordinate(x(timeline.start + tick))
            out += "<line class=\"axis\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(Markup.coordinate(top))\" y2=\"\(Markup.coordinate(top + 4))\"/>"
            out += "<text x=\"\(position)\" y=\"\(Markup.coordinate(top + 16))\" text-anchor=\"middle\">\(Markup.decimal(tick, places: tick < 10 ? 1 : 0)) s</text>"
        }
        return out
    }

    /// Busy lanes over the pilots' lanes, as a filled step line.
    private func utilisationPlot(top: Double) -> String {
        let bottom = top + utilisationHeight
        var out = "<text x=\"4\" y=\"\(Markup.coordinate(top + 12))\">utilisation (\(timeline.capacity) lanes)</text>"
        for share in [0.0, 0.5, 1.0] {
            let y = Markup.coordinate(bottom - share * utilisationHeight)
            out += "<line class=\"grid\" x1=\"\(Markup.coordinate(labelWidth))\" x2=\"\(Markup.coordinate(labelWidth + plotWidth))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text x=\"\(Markup.coordinate(labelWidth - 6))\" y=\"\(y)\" text-anchor=\"end\">\(Int(share * 100)) %</text>"
        }
        guard !utilisation.shares.isEmpty else { return out }
        let step = plotWidth / Double(utilisation.shares.count)
        var path = "M\(Markup.coordinate(labelWidth)) \(Markup.coordinate(bottom))"
        for (slice, share) in utilisation.shares.enumerated() {
            let y = Markup.coordinate(bottom - min(share, 1) * utilisationHeight)
            path += "V\(y)H\(Markup.coordinate(labelWidth + Double(slice + 1) * step))"
        }
        return out + "<path class=\"util\" d=\"\(path)V\(Markup.coordinate(bottom))Z\"/>"
    }
}
