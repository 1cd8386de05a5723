extension StringProtocol {
    /// Without leading and trailing whitespace (spaces, tabs, line breaks).
    package var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
