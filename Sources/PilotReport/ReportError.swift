/// Why a report cannot be made, worded for the person who asked for it:
/// what was wrong and what to do.
package struct ReportError: Error, Sendable, CustomStringConvertible {
    package var message: String

    /// An error saying `message`.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
