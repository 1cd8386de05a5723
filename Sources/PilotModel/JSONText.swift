import FoundationEssentials

/// Parsing and printing JSON text at the edges of the core (C ABI, wire).
public enum JSONText {
    /// Parses `text` into a value; a parse failure names what was expected.
    public static func parse(_ text: String, what: String) throws(PilotError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw PilotError(.invalidArgument, "\(what) is not valid JSON (\(error.shortDescription)); pass a JSON object such as {\"executable\": \"/bin/date\"}")
        }
    }

    /// Renders an encodable value as compact JSON text with sorted keys.
    public static func render<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension Error {
    /// The error's description without Foundation's long coding-path dumps.
    var shortDescription: String {
        if let decoding = self as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context): return context.debugDescription
            case .keyNotFound(let key, _): return "missing key \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context): return context.debugDescription
            @unknown default: return "malformed JSON"
            }
        }
        return "\(self)"
    }
}
