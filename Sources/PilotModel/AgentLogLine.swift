/// One line of an agent's log, sent to the coordinator for the pilot's log.
package struct AgentLogLine: Sendable, Equatable {
    /// How serious.
    package enum Severity: Int32, Sendable {
        /// What happened, for the record.
        case info = 0
        /// Something failed.
        case error = 1
    }

    /// When, seconds since 1970.
    package var time: Double
    /// How serious.
    package var severity: Severity
    /// What happened.
    package var message: String

    /// Creates a line.
    package init(time: Double, severity: Severity, message: String) {
        self.time = time
        self.severity = severity
        self.message = message
    }
}
