/// A session's report in one of the formats, made from its journal alone.
package enum Report {
    /// Slices of the span the utilisation is averaged over.
    static let utilisationSlices = 400

    /// `journal` rendered as `format`.
    package static func render(_ journal: SessionJournal, as format: ReportFormat) -> String {
        let timeline = Timeline(journal)
        let utilisation = Utilisation(timeline, slices: utilisationSlices)
        switch format {
        case .csv:
            return CSVReport.render(journal, timeline)
        case .svg:
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + TimelineChart(journal: journal, timeline: timeline, utilisation: utilisation).svg + "\n"
        case .html:
            let distributions = Distributions(journal.units)
            let figures = ReportFigures(journal, timeline, utilisation, distributions)
            return HTMLReport(journal: journal, timeline: timeline, utilisation: utilisation,
                              distributions: distributions, figures: figures).html + "\n"
        }
    }
}
