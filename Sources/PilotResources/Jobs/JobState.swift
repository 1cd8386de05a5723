/// A job's state in DRMAA2's terms; adaptors map the manager's own states
/// onto these and keep the native one beside them.
package enum JobState: String, Sendable, CaseIterable {
    /// The manager does not say (or no longer knows the job).
    case undetermined
    /// Waiting to start.
    case queued
    /// Waiting, and held: it will not start until released.
    case queuedHeld = "queued_held"
    /// Running.
    case running
    /// Stopped while running; it resumes where it was.
    case suspended
    /// Put back in the queue after it started.
    case requeued
    /// Requeued and held.
    case requeuedHeld = "requeued_held"
    /// Ended with exit status 0.
    case done
    /// Ended otherwise: a non-zero exit, killed, cancelled, out of time.
    case failed

    /// Done or failed: the job will not change again.
    package var isFinal: Bool { self == .done || self == .failed }
}

/// A job's state and the manager's own word for it (e.g. SLURM's `PENDING`).
package struct JobStatus: Sendable, Equatable {
    /// The state.
    package var state: JobState
    /// The manager's native state.
    package var native: String

    /// Creates a status.
    package init(_ state: JobState, native: String) {
        self.state = state
        self.native = native
    }
}

/// What is known about a job (DRMAA2's JobInfo).
package struct JobInfo: Sendable, Equatable {
    /// The manager's id for it.
    package var id: String
    /// Its state.
    package var status: JobStatus
    /// Exit status, once it has ended.
    package var exitStatus: Int32?
    /// The signal that ended it, if one did.
    package var terminatingSignal: Int32?
    /// Why it is in its state (the manager's reason), if it says.
    package var reason: String?
    /// Seconds since 1970.
    package var submissionTime: Double?
    /// When it started.
    package var dispatchTime: Double?
    /// When it ended.
    package var finishTime: Double?
    /// Hosts it runs or ran on.
    package var hosts: [String] = []
    /// Cores allocated.
    package var slots: Int?
    /// Queue or partition.
    package var queue: String?

    /// Creates a record with the given identity.
    package init(id: String, status: JobStatus) {
        self.id = id
        self.status = status
    }
}

/// What can be done to a job (DRMAA2's JobTracker control).
package enum JobControl: String, Sendable, CaseIterable {
    /// End it now.
    case terminate
    /// Stop it where it is.
    case suspend
    /// Let a suspended job go on.
    case resume
    /// Keep a queued job from starting.
    case hold
    /// Let a held job start.
    case release
}

/// A resource's load, as GC3Pie's `get_resource_status` reports it.
package struct ResourceStatus: Sendable, Equatable, Encodable {
    /// Cores in total.
    package var totalSlots: Int
    /// Cores free now.
    package var freeSlots: Int
    /// Jobs running.
    package var running: Int
    /// Jobs waiting.
    package var queued: Int

    enum CodingKeys: String, CodingKey {
        case running, queued
        case totalSlots = "total_slots", freeSlots = "free_slots"
    }

    /// Creates a record.
    package init(totalSlots: Int, freeSlots: Int, running: Int, queued: Int) {
        self.totalSlots = totalSlots
        self.freeSlots = freeSlots
        self.running = running
        self.queued = queued
    }
}
