import FoundationEssentials

/// Parsing and printing JSON text at the edges of the core (C ABI, wire).
package enum JSONText {
    /// The most levels a description may nest (`JSONParser.maximumDepth`);
    /// readers of other formats (YAML) hold to the same.
    package static let maximumDepth = JSONParser.maximumDepth

    /// Parses `text` into a value; a parse failure names what was expected.
    package static func parse(_ text: String, what: String) throws(PilotError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch where error.tooDeep {
            throw PilotError(.invalidArgument, "\(what) is nested too deeply: \(error.reason) (at byte \(error.offset)); flatten it to at most \(JSONParser.maximumDepth) levels")
        } catch {
            throw PilotError(.invalidArgument, "\(what) is not valid JSON (\(error.reason) at byte \(error.offset)); pass JSON text, e.g. {\"executable\": \"/bin/date\"} for a unit or [\"1\", \"2\"] for ids")
        }
    }

    /// Renders an encodable value as compact JSON text with sorted keys.
    package static func render<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
