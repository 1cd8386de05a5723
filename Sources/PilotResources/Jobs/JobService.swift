import PilotModel
import PilotSystem

/// One protocol for every resource manager (DRMAA2's JobSession and
/// JobTracker, GC3Pie's LRMS): submit jobs and arrays, follow and control
/// them, list what runs, read their output. Every method may run external
/// commands and block; none traps on what a manager prints.
package protocol JobService: Sendable {
    /// The resource's URL, for messages (`slurm://localhost`).
    var resource: String { get }

    /// Submits one job; returns the manager's id for it.
    func submit(_ job: JobDescription) throws(PilotError) -> String
    /// Submits an array; returns one id per task, in index order.
    func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String]
    /// A job's current state.
    func status(of id: String) throws(PilotError) -> JobStatus
    /// What is known about a job.
    func info(of id: String) throws(PilotError) -> JobInfo
    /// Terminates, suspends, resumes, holds or releases a job; an action
    /// the manager cannot take is an `.unsupported` error.
    func control(_ action: JobControl, _ id: String) throws(PilotError)
    /// Forgets a finished job (its record, not its output files).
    func delete(_ id: String) throws(PilotError)
    /// The ids of this user's jobs the manager knows.
    func jobs() throws(PilotError) -> [String]
    /// The queues (partitions) jobs can go to.
    func queues() throws(PilotError) -> [String]
    /// Cores in total and free, jobs running and queued.
    func resourceStatus() throws(PilotError) -> ResourceStatus
    /// The paths of a job's stdout and stderr files.
    func outputFiles(of id: String) throws(PilotError) -> [String]
    /// `size` bytes of a job's output file from `offset` (negative: from
    /// the end), read where the job ran.
    func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String

    // Running pilots' agents (defaults in `JobService+Pilots`).

    /// Reports job `id`'s native state and its end to `observer`.
    func follow(_ id: String, observer: JobObserver) throws(PilotError)
    /// The coordinator's handle on job `id`, which this service started.
    func launchedPilot(_ id: String) -> LaunchedPilot
    /// A job started by an earlier coordinator, by the native id it recorded.
    func adopt(nativeID: String, pilotID: String) -> LaunchedPilot?
    /// Whether a job's end comes with the service's own reason soon after the agent's link goes.
    var reportsEndReason: Bool { get }
}

extension JobService {
    /// Waits until every job in `ids` is in one of `states`; returns their
    /// statuses. Throws `.timeout` after `timeout` seconds (nil or negative: no limit; see `WaitLimit`),
    /// and `.invalidState` at once for a job the manager says can never
    /// run (it would wait for ever). Batch managers announce nothing, so
    /// this asks them, every 0.1 s at first and every second at most.
    package func wait(for ids: [String], until states: Set<JobState>, timeout: Double?) throws(PilotError) -> [String: JobStatus] {
        let limit = try WaitLimit(seconds: timeout)
        var pause = 0.1
        while true {
            var statuses: [String: JobStatus] = [:]
            for id in ids {
                let info = try info(of: id)
                if info.cannotRun, !states.contains(info.status.state) {
                    throw PilotError(.invalidState, "\(resource): job \(id) can never run (\(info.reason ?? "no reason given")); terminate it, or correct what it asks for and submit it again")
                }
                statuses[id] = info.status
            }
            if statuses.values.allSatisfy({ states.contains($0.state) }) { return statuses }
            if limit.hasPassed {
                let pending = ids.filter { statuses[$0].map { !states.contains($0.state) } ?? true }
                throw PilotError(.timeout, "\(resource): jobs \(pending.joined(separator: ", ")) did not reach \(states.map(\.rawValue).sorted().joined(separator: "/")) within \(limit.text)")
            }
            Sleep.seconds(min(pause, max(0.01, limit.remaining ?? pause)))
            pause = min(1, pause * 1.5)
        }
    }
}
