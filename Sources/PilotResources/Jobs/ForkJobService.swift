import Glibc
import PilotModel
import PilotSystem

/// The `fork://localhost` adaptor of the job API: each job is a process
/// (with its own process group) on this machine, followed by a thread that
/// waits for it. Array tasks beyond `maxParallel` wait in this process and
/// start as others end. Jobs are known to the service that started them.
package final class ForkJobService: JobService, Sendable {
    package let resource: String

    private struct Job {
        let description: JobDescription
        var state: JobState = .queued
        var held = false
        var pid: pid_t?
        var exit: ExitStatus?
        var stopped = false
        let submitted = WallClock.now()
        var started: Double?
        var finished: Double?
        var reason: String?
        /// The array it belongs to, and its index there.
        var array: (id: String, index: Int)?
        /// Who hears of its end (a pilot's coordinator).
        var observer: JobObserver?
    }

    private struct Table {
        var jobs: [String: Job] = [:]
        var order: [String] = []
        var next = 1
        /// Per array: the most tasks running at once.
        var limits: [String: Int] = [:]
    }

    private let table = Monitor(Table())

    /// A service for local processes; `resource` names it in messages (a
    /// pilot's ssh connection runs here too, named by its `ssh://` URL).
    package init(resource: String = "fork://localhost") {
        self.resource = resource
    }

    package func submit(_ job: JobDescription) throws(PilotError) -> String {
        let id = table.withLock { table -> String in
            defer { table.next += 1 }
            let id = String(table.next)
            table.jobs[id] = Job(description: job, held: job.held)
            table.order.append(id)
            return id
        }
        if !job.held { try start(id) }
        return id
    }

    package func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String] {
        try array.check()
        let ids = table.withLock { table -> [String] in
            defer { table.next += 1 }
            let arrayID = String(table.next)
            table.limits[arrayID] = array.maxParallel ?? Int.max
            return array.indices.map { index in
                var task = job
                task.environment["PILOT_TASK_INDEX"] = String(index)
                let id = "\(arrayID)_\(index)"
                table.jobs[id] = Job(description: task, held: job.held, array: (arrayID, index))
                table.order.append(id)
                return id
            }
        }
        startWaitingTasks()
        return ids
    }

    /// Starts queued, unheld jobs, and array tasks while their arrays have room.
    private func startWaitingTasks() {
        let due = table.withLock { table -> [String] in
            var running: [String: Int] = [:]
            for job in table.jobs.values where job.state == .running || job.state == .suspended {
                if let array = job.array { running[array.id, default: 0] += 1 }
            }
            var due: [String] = []
            for id in table.order {
                guard let job = table.jobs[id], job.state == .queued, !job.held else { continue }
                if let array = job.array {
                    guard running[array.id, default: 0] < table.limits[array.id, default: Int.max] else { continue }
                    running[array.id, default: 0] += 1
                }
                table.jobs[id]?.state = .running
                due.append(id)
            }
            return due
        }
        for id in due { try? start(id) }
    }

    private func start(_ id: String) throws(PilotError) {
        guard let job = table.withLock({ $0.jobs[id] }) else { return }
        let description = job.description
        let directory = description.workingDirectory ?? FileSystem.currentDirectory()
        let environment = description.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let request = SpawnRequest(
            arguments: [description.executable] + description.arguments,
            environment: Environment.current() + environment, workingDirectory: directory, input: nil,
            output: Self.path(description.output, directory, "job-\(id).out"),
            error: Self.path(description.error, directory, "job-\(id).err"))
        switch ProcessSpawner.spawn(request) {
        case .failure(let failure):
            table.withLock { table in
                table.jobs[id]?.state = .failed
                table.jobs[id]?.reason = failure.reason
                table.jobs[id]?.finished = WallClock.now()
            }
            startWaitingTasks()
            throw PilotError(.backend, "\(resource): cannot start job \(id): \(failure.reason)")
        case .success(let pid):
            table.withLock { table in
                table.jobs[id]?.pid = pid
                table.jobs[id]?.state = .running
                table.jobs[id]?.started = WallClock.now()
            }
            let started = startThread { [self] in follow(id, pid: pid) }
            if !started {
                ProcessSpawner.signalGroup(pid, SIGKILL)
                throw PilotError(.internal, "\(resource): cannot start a thread to follow job \(id)")
            }
        }
    }

    private func follow(_ id: String, pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = ExitStatus(waitStatus: status)
        let observer = table.withLock { table -> JobObserver? in
            table.jobs[id]?.exit = exit
            table.jobs[id]?.state = exit == .exited(0) ? .done : .failed
            table.jobs[id]?.finished = WallClock.now()
            defer { table.jobs[id]?.observer = nil }
            return table.jobs[id]?.observer
        }
        table.broadcast()
        observer?.ended(end(exit, pid: pid))
        startWaitingTasks()
    }

    private static func path(_ given: String?, _ directory: String, _ name: String) -> String {
        Path.inside(directory, given ?? name)
    }

    private func job(_ id: String) throws(PilotError) -> Job {
        guard let job = table.withLock({ $0.jobs[id] }) else {
            throw PilotError(.notFound, "\(resource): no job \(id) (jobs are known to the service that submitted them)")
        }
        return job
    }

    package func status(of id: String) throws(PilotError) -> JobStatus {
        let job = try job(id)
        return Self.status(job)
    }

    private static func status(_ job: Job) -> JobStatus {
        let state: JobState = job.state == .queued && job.held ? .queuedHeld : (job.stopped ? .suspended : job.state)
        switch job.exit {
        case .exited(let code)?: return JobStatus(state, native: "exited \(code)")
        case .signaled(let signal)?: return JobStatus(state, native: "killed by signal \(signal)")
        case nil: return JobStatus(state, native: state.rawValue)
        }
    }

    package func info(of id: String) throws(PilotError) -> JobInfo {
        let job = try job(id)
        var info = JobInfo(id: id, status: Self.status(job))
        if case .exited(let code)? = job.exit { info.exitStatus = code }
        if case .signaled(let signal)? = job.exit { info.terminatingSignal = signal }
        info.reason = job.reason
        info.submissionTime = job.submitted
        info.dispatchTime = job.started
        info.finishTime = job.finished
        info.hosts = job.started == nil ? [] : [FileSystem.hostName()]
        info.slots = job.description.slots
        info.queue = "local"
        return info
    }

    package func control(_ action: JobControl, _ id: String) throws(PilotError) {
        let job = try job(id)
        switch (action, job.state, job.pid) {
        case (.terminate, .queued, _):
            table.withLock { table in
                table.jobs[id]?.state = .failed
                table.jobs[id]?.reason = "terminated before it started"
                table.jobs[id]?.finished = WallClock.now()
            }
        case (.terminate, .running, let pid?), (.terminate, .suspended, let pid?):
            ProcessSpawner.signalGroup(pid, SIGKILL)
        case (.suspend, .running, let pid?):
            ProcessSpawner.signalGroup(pid, SIGSTOP)
            table.withLock { $0.jobs[id]?.stopped = true }
        case (.resume, .running, let pid?):
            ProcessSpawner.signalGroup(pid, SIGCONT)
            table.withLock { $0.jobs[id]?.stopped = false }
        case (.hold, .queued, _), (.release, .queued, _):
            table.withLock { $0.jobs[id]?.held = action == .hold }
            startWaitingTasks()
        default:
            throw PilotError(.invalidState, "\(resource): cannot \(action.rawValue) job \(id): it is \(Self.status(job).state.rawValue)")
        }
    }

    package func delete(_ id: String) throws(PilotError) {
        guard try job(id).state.isFinal else {
            throw PilotError(.invalidState, "\(resource): job \(id) has not ended; terminate it first")
        }
        table.withLock { table in
            table.jobs[id] = nil
            table.order.removeAll { $0 == id }
        }
    }

    package func jobs() throws(PilotError) -> [String] {
        table.withLock { $0.order }
    }

    package func queues() throws(PilotError) -> [String] {
        ["local"]
    }

    package func resourceStatus() throws(PilotError) -> ResourceStatus {
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return table.withLock { table in
            let running = table.jobs.values.filter { $0.state == .running }
            let used = running.reduce(0) { $0 + $1.description.slots }
            return ResourceStatus(totalSlots: cores, freeSlots: max(0, cores - used), running: running.count,
                                  queued: table.jobs.values.filter { $0.state == .queued }.count)
        }
    }

    package func outputFiles(of id: String) throws(PilotError) -> [String] {
        let description = try job(id).description
        let directory = description.workingDirectory ?? FileSystem.currentDirectory()
        let output = Self.path(description.output, directory, "job-\(id).out")
        let error = Self.path(description.error, directory, "job-\(id).err")
        return output == error ? [output] : [output, error]
    }

    package func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        try LocalFiles.peek(path, offset: offset, size: size, resource: resource)
    }

    // MARK: Pilots

    /// Hears of job `id`'s end as its process exits (no polling); at once if it has.
    package func follow(_ id: String, observer: JobObserver) throws(PilotError) {
        let ended = table.withLock { table -> Result<JobEnd?, PilotError> in
            guard let job = table.jobs[id] else { return .failure(PilotError(.notFound, "\(resource): no job \(id)")) }
            guard let exit = job.exit, let pid = job.pid else {
                table.jobs[id]?.observer = observer
                return .success(nil)
            }
            return .success(end(exit, pid: pid))
        }
        if let end = try ended.get() { observer.ended(end) }
    }

    /// The job's process: its pid is the native id a restarted coordinator finds it by.
    package func launchedPilot(_ id: String) -> LaunchedPilot {
        guard let pid = table.withLock({ $0.jobs[id]?.pid }) else { return JobServicePilot(service: self, id: id) }
        return ForkPilot(pid: pid, pilotID: nil)
    }

    package func adopt(nativeID: String, pilotID: String) -> LaunchedPilot? {
        guard let pid = pid_t(nativeID), pid > 1 else { return nil }
        return ForkPilot(pid: pid, pilotID: pilotID)
    }

    /// A process's end is its exit status; nothing more comes after the agent's link.
    package var reportsEndReason: Bool { false }

    private func end(_ status: ExitStatus, pid: pid_t) -> JobEnd {
        switch status {
        case .exited(0): JobEnd(reason: "\(resource): agent process \(pid) exited", succeeded: true)
        case .exited(let code): JobEnd(reason: "\(resource): agent process \(pid) exited with status \(code)", succeeded: false)
        case .signaled(let signal): JobEnd(reason: "\(resource): agent process \(pid) was killed by signal \(signal)", succeeded: false)
        }
    }
}
