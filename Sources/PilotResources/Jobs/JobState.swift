/// A job's state in DRMAA2's terms; adaptors map the manager's own states
/// onto these and keep the native one beside them.
public enum JobState: String, Sendable, CaseIterable {
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
    public var isFinal: Bool { self == .done || self == .failed }
}

/// A job's state and the manager's own word for it (e.g. SLURM's `PENDING`).
public struct JobStatus: Sendable, Equatable {
    /// The state.
    public var state: JobState
    /// The manager's native state.
    public var native: String

    /// Creates a status.
    public init(_ state: JobState, native: String) {
        self.state = state
        self.native = native
    }
}

/// What is known about a job (DRMAA2's JobInfo).
public struct JobInfo: Sendable, Equatable {
    /// The manager's id for it.
    public var id: String
    /// Its state.
    public var status: JobStatus
    /// Exit status, once it has ended.
    public var exitStatus: Int32?
    /// The signal that ended it, if one did.
    public var terminatingSignal: Int32?
    /// Why it is in its state (the manager's reason), if it says.
    public var reason: String?
    /// Seconds since 1970.
    public var submissionTime: Double?
    /// When it started.
    public var dispatchTime: Double?
    /// When it ended.
    public var finishTime: Double?
    /// Hosts it runs or ran on.
    public var hosts: [String] = []
    /// Cores allocated.
    public var slots: Int?
    /// Queue or partition.
    public var queue: String?
    /// The manager says the job can never start (it asks for more than the
    /// resource has); `reason` says why. It stays queued until deleted.
    public var cannotRun = false

    /// Creates a record with the given identity.
    public init(id: String, status: JobStatus) {
        self.id = id
        self.status = status
    }
}

/// What can be done to a job (DRMAA2's JobTracker control).
public enum JobControl: String, Sendable, CaseIterable {
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
public struct ResourceStatus: Sendable, Equatable, Encodable {
    /// Cores in total.
    public var totalSlots: Int
    /// Cores free now.
    public var freeSlots: Int
    /// Jobs running.
    public var running: Int
    /// Jobs waiting.
    public var queued: Int

    enum CodingKeys: String, CodingKey {
        case running, queued
        case totalSlots = "total_slots", freeSlots = "free_slots"
    }

    /// Creates a record.
    public init(totalSlots: Int, freeSlots: Int, running: Int, queued: Int) {
        self.totalSlots = totalSlots
        self.freeSlots = freeSlots
        self.running = running
        self.queued = queued
    }
}
