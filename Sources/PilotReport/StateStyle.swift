import PilotModel

/// The colours of unit states in the charts, as one CSS rule each
/// (classes `s<raw value>`), and the legend that explains them.
enum StateStyle {
    /// The CSS rules for the state classes and the charts' text.
    static let css = """
        .s5{fill:#3a9d5d}.s6{fill:#9a9a9a}.s7{fill:#d0453b}.s0,.s1,.s2,.s3,.s4{fill:#3b7dd8}\
        .axis{stroke:#888;stroke-width:1}.grid{stroke:#e4e4e4;stroke-width:1}\
        .util{fill:#3b7dd8;fill-opacity:.35;stroke:#3b7dd8}.mark{stroke:#222;stroke-dasharray:3 2}\
        text{font:11px sans-serif;fill:#333}
        """

    /// The class of a unit in `state`.
    static func className(_ state: State) -> String { "s\(state.rawValue)" }

    /// The states a legend lists: final ones, then "not final".
    static let legend: [(className: String, label: String)] = [
        ("s5", "Done"), ("s7", "Failed"), ("s6", "Canceled"), ("s4", "not final (still running at the last record)"),
    ]
}
