/// When a shell command line can run without a shell. BigJob ran every
/// unit through bash; most lines are a path and plain words, for which
/// bash would only split on blanks and exec. Like GNU make (which execs a
/// recipe line directly when it has no shell metacharacter), the agent then
/// skips bash; anything bash could interpret differently keeps it.
package enum ShellLine {
    /// Characters that make a line need the shell: quoting, expansion,
    /// globbing, redirection, pipes, lists, grouping, comments, history.
    static let metacharacters: Set<Character> = [
        "\"", "'", "\\", "$", "`", "~", "*", "?", "[", "]", "{", "}", "(", ")",
        "<", ">", "|", "&", ";", "#", "!", "^", "\n", "\r",
    ]

    /// The argv bash would exec for `line`, or nil when only bash can run
    /// it. The command word must contain a `/` (bash looks such a word up
    /// neither as builtin, function nor in PATH) and must not be an
    /// assignment.
    package static func directArguments(_ line: String) -> [String]? {
        guard !line.contains(where: metacharacters.contains) else { return nil }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = words.first, command.contains("/"), !command.contains("=") else { return nil }
        return words
    }

    /// `text` quoted for a POSIX shell: one word, nothing expanded.
    package static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
