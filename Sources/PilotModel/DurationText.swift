/// A duration as messages write it: "90 s", "0.25 s", or "2.5 min" from
/// 60 s on (at most two decimals).
package func durationText(_ seconds: Double) -> String {
    func trimmed(_ number: Double) -> String {
        let rounded = (number * 100).rounded() / 100
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
    }
    return seconds < 60 ? "\(trimmed(seconds)) s" : "\(trimmed(seconds / 60)) min"
}
