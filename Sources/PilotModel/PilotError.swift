/// The failure every core API throws: a category that maps to a C status
/// code and a message that says what was wrong and what to do.
public struct PilotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; the raw values are the C ABI's status codes.
    public enum Code: Int32, Sendable, CaseIterable {
        /// An argument or description was malformed.
        case invalidArgument = -1
        /// The object is in a state that does not allow the call.
        case invalidState = -2
        /// No object with that handle or id exists.
        case notFound = -3
        /// A wait ran out of time before its condition held.
        case timeout = -4
        /// The caller is not allowed to do this.
        case denied = -5
        /// The resource manager or the operating system refused.
        case backend = -6
        /// A fault inside pilot itself.
        case `internal` = -7
        /// The feature exists in the contract but not (yet) in this build.
        case unsupported = -8
        /// The caller stopped a wait (its progress observer said so).
        case interrupted = -9
    }

    /// The failure's category.
    public let code: Code
    /// A sentence for a person: what was wrong and what to do.
    public let message: String

    /// Creates an error of `code` with `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
