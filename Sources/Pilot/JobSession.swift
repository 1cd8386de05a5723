import PilotModel
import PilotResources

/// The job layer pilots run on, used directly: one resource manager by URL
/// (DRMAA2's job session and job tracker, GC3Pie's resource status). Every
/// method may run the manager's commands and block.
///
/// ```swift
/// let jobs = try JobSession(url: "slurm://localhost")
/// let ids = try jobs.submit(JobDescription(executable: "/bin/hostname"), array: JobArray(begin: 1, end: 10))
/// let ends = try jobs.wait(for: ids, until: [.done, .failed], timeout: 600)
/// ```
public struct JobSession: Sendable {
    private let service: any JobService

    /// Opens the resource manager `url` names: `fork://localhost` (local
    /// processes, known to this session only), `ssh://[user@]host[:port]`,
    /// `slurm://localhost`, `sge://localhost`, `pbs://localhost`, and
    /// `slurm+ssh://`, `sge+ssh://`, `pbs+ssh://[user@]host[:port]` (the batch
    /// commands run on a login host). `Capabilities.current.jobSchemes` lists them.
    public init(url: String) throws(PilotError) {
        service = try JobServices.service(for: ServiceURL(url))
    }

    /// The resource's URL, for messages (`slurm://localhost`).
    public var resource: String { service.resource }

    /// Submits one job; returns the manager's id for it.
    public func submit(_ job: JobDescription) throws(PilotError) -> String {
        try service.submit(job)
    }

    /// Submits an array job (each task sees `PILOT_TASK_INDEX`); returns one
    /// id per task, in index order.
    public func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String] {
        try service.submit(job, array: array)
    }

    /// A job's state and the manager's own word for it.
    public func status(of id: String) throws(PilotError) -> JobStatus {
        try service.status(of: id)
    }

    /// What is known about a job: exit status, times, hosts, slots, queue.
    public func info(of id: String) throws(PilotError) -> JobInfo {
        try service.info(of: id)
    }

    /// Terminates, suspends, resumes, holds or releases a job; an action the
    /// manager cannot take (or not in the job's state) is an error.
    public func control(_ action: JobControl, _ id: String) throws(PilotError) {
        try service.control(action, id)
    }

    /// Waits until every job of `ids` is in one of `states`; returns their
    /// statuses. Throws a timeout error after `timeout` seconds (nil or negative: no limit).
    public func wait(for ids: [String], until states: Set<JobState>, timeout: Double?) throws(PilotError) -> [String: JobStatus] {
        try service.wait(for: ids, until: states, timeout: timeout)
    }

    /// Forgets an ended job (its record, not its output files); unsupported
    /// where the manager forgets ended jobs by itself.
    public func delete(_ id: String) throws(PilotError) {
        try service.delete(id)
    }

    /// The ids of this user's jobs the manager knows.
    public func jobs() throws(PilotError) -> [String] {
        try service.jobs()
    }

    /// The queues (partitions) jobs can go to.
    public func queues() throws(PilotError) -> [String] {
        try service.queues()
    }

    /// Cores in total and free, jobs running and queued.
    public func resourceStatus() throws(PilotError) -> ResourceStatus {
        try service.resourceStatus()
    }

    /// The paths of a job's stdout and stderr files.
    public func outputFiles(of id: String) throws(PilotError) -> [String] {
        try service.outputFiles(of: id)
    }

    /// `size` bytes of a job's output file from `offset` (negative: counted
    /// from the end), read where the job ran.
    public func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        try service.peek(path, offset: offset, size: size)
    }
}
