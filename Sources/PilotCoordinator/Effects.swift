import NIOCore
import PilotModel
import PilotResources

/// What a registry mutation asks the outside world to do once the lock is
/// released (events are the exception: they are queued in order under it).
struct Effects {
    /// State changes for subscribers, in the order they happened.
    var events: [StateEvent] = []
    /// Pilots whose outbox must be written to their link.
    var flushes: [(pilotID: String, channel: Channel)] = []
    /// Links to close (their pilot is final).
    var closes: [Channel] = []
    /// Jobs to kill outright.
    var terminations: [LaunchedPilot] = []
    /// Process groups of units whose agent is gone.
    var orphans: [(job: LaunchedPilot, groups: [Int32])] = []
    /// Alarms to set: `action` on the registry after `seconds`, on the event
    /// loop of the pilot's link (a pilot's wall time; a lost link's grace).
    var alarms: [(channel: Channel, seconds: Double, action: @Sendable (Registry) -> Void)] = []
    /// Whether a waiter's condition may now hold.
    var broadcast = false
}
