import PilotModel

/// One job for a resource manager: what to run and what it needs. The
/// subset of DRMAA2's JobTemplate that pilots and users of the job API need.
package struct JobDescription: Sendable, Equatable {
    /// The program (an absolute path, or a name looked up in PATH).
    package var executable: String
    /// Its arguments.
    package var arguments: [String]
    /// Variables added to the job's environment.
    package var environment: [String: String] = [:]
    /// Where it runs (default: the submitting user's home, as the manager decides).
    package var workingDirectory: String?
    /// File for its stdout (default: the manager's own naming).
    package var output: String?
    /// File for its stderr (default: the manager's own naming).
    package var error: String?
    /// Cores it needs.
    package var slots = 1
    /// Nodes it needs (nil: as many as the manager likes).
    package var nodes: Int?
    /// Wall time limit in minutes.
    package var wallTimeMinutes: Double?
    /// Queue or partition.
    package var queue: String?
    /// Account or project charged.
    package var project: String?
    /// A name for listings.
    package var name: String?

    /// Describes a job that runs `executable` with `arguments`.
    package init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }
}

/// An array job: one task per index from `begin` through `end` by `step`,
/// at most `maxParallel` running at once; each task sees its index in the
/// manager's variable (and in `PILOT_TASK_INDEX`).
package struct JobArray: Sendable, Equatable {
    /// The first index.
    package var begin: Int
    /// The last index (inclusive).
    package var end: Int
    /// The distance between indices.
    package var step: Int
    /// The most tasks running at once (nil: no limit).
    package var maxParallel: Int?

    /// Describes an array.
    package init(begin: Int, end: Int, step: Int = 1, maxParallel: Int? = nil) {
        self.begin = begin
        self.end = end
        self.step = step
        self.maxParallel = maxParallel
    }

    /// The indices, in order.
    package var indices: [Int] { step > 0 && end >= begin ? Array(stride(from: begin, through: end, by: step)) : [] }

    /// A clear error for an array no manager can take.
    package func check() throws(PilotError) {
        guard begin >= 0, end >= begin, step >= 1 else {
            throw PilotError(.invalidArgument, "job array \(begin)-\(end):\(step) is empty or malformed; give 0 <= begin <= end and step >= 1")
        }
        if let maxParallel, maxParallel < 1 {
            throw PilotError(.invalidArgument, "job array max parallel \(maxParallel) must be at least 1")
        }
    }
}
