import PilotModel

/// JSON text in and out of the API: descriptions read from text (a file,
/// another language) and snapshots written as text.
public enum JSON {
    /// Parses `text` (one JSON value); errors name `what` was being read.
    public static func parse(_ text: String, what: String) throws(PilotError) -> JSONValue {
        try JSONText.parse(text, what: what)
    }

    /// `value` as compact JSON text.
    public static func text<Value: Encodable>(_ value: Value) -> String {
        JSONText.render(value)
    }
}
