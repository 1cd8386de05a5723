/// How many Unicode scalars of a user's value an error message repeats.
private let quotedScalarLimit = 80

/// `value` as an error message quotes it: in single quotes, with control
/// characters escaped (`\0`, `\n`, `\t`, `\r`, else `\u{1b}`) so a message
/// stays one line and survives C strings. Past 80 Unicode scalars only
/// those are shown, then `…` and the value's full size:
/// `'aaaa…' (10485760 bytes)`. Every message that repeats a value the
/// user supplied goes through here, so none grows with the value.
package func quoted(_ value: some StringProtocol) -> String {
    var text = "'"
    var shown = 0
    for scalar in value.unicodeScalars {
        guard shown < quotedScalarLimit else {
            return text + "…' (\(value.utf8.count) bytes)"
        }
        text += escapedForMessage(scalar)
        shown += 1
    }
    return text + "'"
}

/// One scalar as printable text: control characters become escapes.
private func escapedForMessage(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\0": return "\\0"
    case "\n": return "\\n"
    case "\t": return "\\t"
    case "\r": return "\\r"
    default:
        guard scalar.properties.generalCategory == .control else { return String(scalar) }
        return "\\u{\(String(scalar.value, radix: 16))}"
    }
}
