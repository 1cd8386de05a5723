import FoundationEssentials
import PilotModel

/// The report as one self-contained HTML page: no network, inline style
/// and drawings, and a few lines of script that only time the rendering.
struct HTMLReport {
    let journal: SessionJournal
    let timeline: Timeline
    let utilisation: Utilisation
    let distributions: Distributions
    let figures: ReportFigures

    private static let style = """
        body{font:14px sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}\
        dl#summary{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{font-weight:bold}dd{margin:0}\
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\
        .caption{color:#555;max-width:70em}code{font-size:12px}
        """

    /// The page.
    var html: String {
        var out = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<title>Session \(Markup.escaped(journal.sessionID))</title><style>\(Self.style)</style></head><body>"
        out += "<h1>Session <code>\(Markup.escaped(journal.sessionID))</code></h1>"
        out += summary()
        out += "<h2>Units per lane</h2>"
        out += "<p class=\"caption\">Each bar is one unit, from its start to its final state, coloured by that state. "
        out += "The journal records no slot index: each pilot's units on each host are packed greedily into lanes "
        out += "(by start time, each into the first lane free at its start), so a lane is not necessarily one slot. "
        out += "Utilisation is running units over the pilots' lanes (each pilot's slot count, or the lanes it used if more). "
        out += "Times are seconds since the first submission.</p>"
        out += TimelineChart(journal: journal, timeline: timeline, utilisation: utilisation).svg
        out += "<h2>Queue wait and run time</h2>"
        out += "<p class=\"caption\">Wait is start − submission, run is final state − start, over the units that have both times.</p>"
        out += HistogramChart(title: "queue wait", distribution: distributions.wait).svg
        out += HistogramChart(title: "run time", distribution: distributions.run).svg
        out += staging()
        out += failures()
        out += "<script type=\"application/json\" id=\"figures\">\(figuresJSON)</script>"
        // Times the page up to its first layout, for tests that check it renders quickly.
        out += "<script>addEventListener(\"load\",()=>{document.documentElement.getBoundingClientRect();"
        out += "document.body.dataset.renderedMs=performance.now().toFixed(1)})</script>"
        return out + "</body></html>"
    }

    /// The figures as JSON that cannot end the script element holding it.
    private var figuresJSON: String {
        JSONText.render(figures).split(separator: "<", omittingEmptySubsequences: false).joined(separator: "\\u003c")
    }

    /// The key figures, each with its exact value in `data-value`.
    private func summary() -> String {
        var rows: [(key: String, label: String, value: Double?, text: String)] = [
            ("span-start", "First submission", figures.spanStart, time(figures.spanStart)),
            ("span-end", "Last record", figures.spanEnd, time(figures.spanEnd)),
            ("span-seconds", "Span", figures.spanSeconds, Markup.seconds(figures.spanSeconds)),
            ("units", "Units", Double(figures.units), String(figures.units)),
        ]
        for state in State.allCases {
            guard let count = figures.states[state.name] else { continue }
            rows.append(("state-\(state.name.lowercased())", state.name, Double(count), String(count)))
        }
        rows += [
            ("throughput", "Throughput", figures.throughput, Markup.decimal(figures.throughput, places: 1) + " units/s (final states over the span)"),
            ("utilisation", "Mean utilisation", figures.utilisationMean, Markup.decimal(figures.utilisationMean.map { $0 * 100 }, places: 1) + " % of \(figures.capacity) lanes"),
            ("wait-median", "Median queue wait", figures.wait.median, Markup.seconds(figures.wait.median)),
            ("run-median", "Median run time", figures.run.median, Markup.seconds(figures.run.median)),
        ]
        var out = "<dl id=\"summary\">"
        for row in rows {
            out += "<dt>\(row.label)</dt><dd id=\"\(row.key)\" data-value=\"\(Markup.exact(row.value))\">\(Markup.escaped(row.text))</dd>"
        }
        return out + "</dl>"
    }

    private func time(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601) + " (\(Markup.decimal(seconds, places: 3)))"
    }

    private func staging() -> String {
        var out = "<h2>Staging</h2>"
        guard distributions.stagingInput.count + distributions.stagingOutput.count > 0 else {
            return out + "<p class=\"caption\">No staging times in this journal: its units staged no files, or it was written before staging times were journaled.</p>"
        }
        out += HistogramChart(title: "input staging", distribution: distributions.stagingInput).svg
        return out + HistogramChart(title: "output staging", distribution: distributions.stagingOutput).svg
    }

    private func failures() -> String {
        var out = "<h2>Failures</h2>"
        guard !figures.failures.isEmpty else { return out + "<p>No unit failed or was canceled.</p>" }
        out += "<table id=\"failures\"><tr><th>State</th><th>Units</th><th>Reason</th><th>First units</th></tr>"
        for group in figures.failures {
            out += "<tr><td>\(group.state)</td><td data-value=\"\(group.count)\">\(group.count)</td>"
            out += "<td>\(Markup.escaped(group.reason.isEmpty ? "(no reason given)" : group.reason))</td>"
            out += "<td><code>\(group.examples.map(Markup.escaped).joined(separator: "<br>"))</code></td></tr>"
        }
        return out + "</table>"
    }
}
