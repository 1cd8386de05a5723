/// Text as the report's HTML, SVG and CSV write it.
enum Markup {
    /// `text` with the characters that are markup in HTML and SVG (text
    /// and quoted attributes) escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `value` rounded to `places` decimals ("12.340"); "–" for no finite value.
    static func decimal(_ value: Double?, places: Int) -> String {
        guard let value, value.isFinite else { return "–" }
        let divisor = (0..<places).reduce(Int64(1)) { product, _ in product * 10 }
        let scaled = (abs(value) * Double(divisor)).rounded()
        guard scaled < 1e15 else { return String(value) }
        let integer = Int64(scaled)
        var text = (value < 0 && integer != 0 ? "-" : "") + String(integer / divisor)
        if places > 0 {
            let fraction = String(integer % divisor)
            text += "." + String(repeating: "0", count: max(places - fraction.count, 0)) + fraction
        }
        return text
    }

    /// A coordinate in a drawing: a tenth of a pixel is fine enough.
    static func coordinate(_ value: Double) -> String {
        decimal(value, places: 1)
    }

    /// A duration for reading: seconds with three decimals.
    static func seconds(_ value: Double?) -> String {
        value == nil ? "–" : decimal(value, places: 3) + " s"
    }

    /// An exact number for a machine-readable attribute (Swift's shortest
    /// text that reads back as the same Double); "" for none.
    static func exact(_ value: Double?) -> String {
        value.map { String($0) } ?? ""
    }
}
