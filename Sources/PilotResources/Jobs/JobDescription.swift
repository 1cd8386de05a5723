import PilotModel

/// One job for a resource manager: what to run and what it needs. The
/// subset of DRMAA2's JobTemplate that pilots and users of the job API need.
public struct JobDescription: Sendable, Equatable {
    /// The program (an absolute path, or a name looked up in PATH).
    public var executable: String
    /// Its arguments.
    public var arguments: [String]
    /// Variables added to the job's environment.
    public var environment: [String: String] = [:]
    /// Where it runs (default: the submitting user's home, as the manager decides).
    public var workingDirectory: String?
    /// File for its stdout (default: the manager's own naming).
    public var output: String?
    /// File for its stderr (default: the manager's own naming).
    public var error: String?
    /// Cores it needs.
    public var slots = 1
    /// Nodes it needs (nil: as many as the manager likes).
    public var nodes: Int?
    /// Wall time limit in minutes.
    public var wallTimeMinutes: Double?
    /// Queue or partition.
    public var queue: String?
    /// Account or project charged.
    public var project: String?
    /// A name for listings.
    public var name: String?
    /// Keep the job running when one of its nodes fails (SLURM's
    /// `--no-kill`; Grid Engine and PBS have no such request): what runs in
    /// it handles the loss, as a pilot's agent does.
    public var toleratesNodeFailure = false
    /// Submit it held (DRMAA2's submitAsHold): it stays queued until released.
    public var held = false

    /// Describes a job that runs `executable` with `arguments`.
    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }
}

/// An array job: one task per index from `begin` through `end` by `step`,
/// at most `maxParallel` running at once; each task sees its index in the
/// manager's variable (and in `PILOT_TASK_INDEX`).
public struct JobArray: Sendable, Equatable {
    /// The first index.
    public var begin: Int
    /// The last index (inclusive).
    public var end: Int
    /// The distance between indices.
    public var step: Int
    /// The most tasks running at once (nil: no limit).
    public var maxParallel: Int?

    /// Describes an array.
    public init(begin: Int, end: Int, step: Int = 1, maxParallel: Int? = nil) {
        self.begin = begin
        self.end = end
        self.step = step
        self.maxParallel = maxParallel
    }

    /// The indices, in order.
    public var indices: [Int] { step > 0 && end >= begin ? Array(stride(from: begin, through: end, by: step)) : [] }

    /// The most tasks one array may have (batch systems allow far fewer:
    /// SLURM's MaxArraySize defaults to 1001, PBS's max_array_size to 10000).
    public static let maximumTasks = 100_000

    /// A clear error for an array no manager can take.
    public func check() throws(PilotError) {
        guard begin >= 0, end >= begin, step >= 1 else {
            throw PilotError(.invalidArgument, "job array \(begin)-\(end):\(step) is empty or malformed; give 0 <= begin <= end and step >= 1")
        }
        if let maxParallel, maxParallel < 1 {
            throw PilotError(.invalidArgument, "job array max parallel \(maxParallel) must be at least 1")
        }
        let tasks = (end - begin) / step + 1
        guard tasks <= Self.maximumTasks else {
            throw PilotError(.invalidArgument, "job array \(begin)-\(end):\(step) has \(tasks) tasks, more than the \(Self.maximumTasks) one submission takes; split it into several arrays")
        }
        // Batch systems count indices in 32-bit integers: OpenPBS accepted
        // -J 2147483646-2147483647 and its server then spun, answering nothing.
        guard end <= Int(Int32.max) - step else {
            throw PilotError(.invalidArgument, "job array \(begin)-\(end):\(step) goes past index \(Int(Int32.max) - step), the last a batch system can step from; use smaller indices")
        }
    }
}
