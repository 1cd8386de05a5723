import PilotSystem

/// The jobs a service deleted before they started, for batch systems that
/// keep no record of such a job (Grid Engine's accounting, SLURM's pending
/// array tasks): without it their end would be unknown, not failed.
final class QueuedDeletions: Sendable {
    private let ids = Monitor(Set<String>())

    /// Remembers that `id` was deleted while queued.
    func note(_ id: String) {
        ids.withLock { _ = $0.insert(id) }
    }

    /// Whether `id`, or `whole` (the array it is a task of), was deleted while queued.
    func contains(_ id: String, orWhole whole: String? = nil) -> Bool {
        ids.withLock { $0.contains(id) || whole.map($0.contains) == true }
    }
}
