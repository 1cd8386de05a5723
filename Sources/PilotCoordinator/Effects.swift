import PilotModel
import PilotResources

/// What a registry mutation asks the outside world to do once the lock is
/// released. State changes go to the change log instead (`ChangeLog`).
struct Effects {
    /// Pilots whose outbox must be written to their link.
    var flushes: [(pilotID: String, link: LinkID)] = []
    /// Links to close (their pilot is final).
    var closes: [LinkID] = []
    /// Jobs to kill outright.
    var terminations: [LaunchedPilot] = []
    /// Process groups of units whose agent is gone.
    var orphans: [(job: LaunchedPilot, groups: [Int32])] = []
    /// Alarms to set: `action` on the registry after `seconds` (a pilot's
    /// wall time; a lost link's grace).
    var alarms: [(seconds: Double, action: @Sendable (Registry) -> Void)] = []
    /// Whether a waiter's condition may now hold.
    var broadcast = false
    /// Lines for pilots' logs (state changes, failed units).
    var logs: [PilotLogEntry] = []
}
