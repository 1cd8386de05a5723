import PilotModel

/// What `pilotctl report` writes.
package enum ReportFormat: String, Sendable, CaseIterable {
    /// One self-contained page: summary, charts, failures.
    case html
    /// The Gantt chart and utilisation as one drawing.
    case svg
    /// One row per unit.
    case csv

    /// The format `name` names, or an error listing the formats.
    package init(named name: String) throws(ReportError) {
        guard let format = ReportFormat(rawValue: name.lowercased()) else {
            throw ReportError("unknown format \(quoted(name)); use one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = format
    }

    /// The format a file name's extension implies (.html, .htm, .svg, .csv), if any.
    package init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let suffix = name[name.index(after: dot)...].lowercased()
        guard let format = suffix == "htm" ? .html : ReportFormat(rawValue: suffix) else { return nil }
        self = format
    }
}
