/// Why a staging step failed: what a user reads in the unit's reason.
struct StagingFailure: Error, Sendable, Equatable {
    /// Which file, which host, and what went wrong there.
    var reason: String
    /// Whether trying again may help (a connection that broke, a copy
    /// whose checksum differs), as opposed to a missing file or a refusal.
    var transient: Bool

    init(_ reason: String, transient: Bool = false) {
        self.reason = reason
        self.transient = transient
    }
}
