/// One row per unit as RFC 4180 CSV (CRLF line ends, fields quoted when
/// they hold a comma, a quote or a line break).
enum CSVReport {
    static let header = [
        "id", "pilot", "host", "lane", "state", "exit_code", "submitted", "bound", "started", "finished",
        "wait_s", "run_s", "staging_in_s", "staging_out_s", "reason",
    ]

    /// The table of `journal`'s units, lanes as `timeline` packs them
    /// (times as exact decimal numbers; empty where the journal has none).
    static func render(_ journal: SessionJournal, _ timeline: Timeline) -> String {
        var out = line(header)
        for (index, unit) in journal.units.enumerated() {
            let lane = timeline.unitLanes.indices.contains(index) ? timeline.unitLanes[index] : nil
            out += line([
                unit.id, unit.pilotID ?? "", unit.host ?? "", lane.map(String.init) ?? "", unit.state.name,
                unit.exitCode.map(String.init) ?? "", Markup.exact(unit.submitted), Markup.exact(unit.bound),
                Markup.exact(unit.started), Markup.exact(unit.finished), Markup.exact(unit.wait), Markup.exact(unit.run),
                Markup.exact(unit.stagedIn), Markup.exact(unit.stagedOut), unit.reason ?? "",
            ])
        }
        return out
    }

    /// One record: the fields joined by commas, then CRLF.
    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// `text` as a field: quoted, inner quotes doubled, when it must be.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append(character) }
        }
        return quoted + "\""
    }
}
