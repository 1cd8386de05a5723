import PilotModel
import PilotSystem

/// The `sge://` adaptor: Grid Engine jobs through `qsub`, `qstat -xml`,
/// `qacct` (for ended jobs), `qdel`, `qmod`, `qhold` and `qrls` on this
/// host. Ids are `N`, or `N.T` for task T of array job N. Grid Engine
/// forgets a job's output paths when it ends, so the service remembers
/// those of the jobs it submitted, and keeps no record of a job deleted
/// before it started, so the service remembers those it deleted.
package final class SgeJobService: JobService, Sendable {
    package let resource: String
    private let commands: HostCommands
    private let outputs = Monitor([String: [String]]())
    private let deletedWhileQueued = QueuedDeletions()

    /// A service for `url` (`sge://localhost`); SGE_ROOT and SGE_CELL
    /// default to Debian's `/var/lib/gridengine` and `default`.
    package init(url: ServiceURL) {
        resource = url.text
        commands = HostCommands(url: url, defaults: ["SGE_ROOT=/var/lib/gridengine", "SGE_CELL=default"],
                                client: ManagerClient.gridEngine())
    }

    package func submit(_ job: JobDescription) throws(PilotError) -> String {
        let id = try qsub(job, extra: [])
        remember(job, as: [id])
        return id
    }

    package func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String] {
        try array.check()
        let wrapped = HostCommands.indexed(job, from: "SGE_TASK_ID")
        var extra = ["-t", "\(array.begin)-\(array.end):\(array.step)"]
        if let maxParallel = array.maxParallel { extra += ["-tc", String(maxParallel)] }
        let id = try qsub(wrapped, extra: extra)
        let ids = array.indices.map { "\(id).\($0)" }
        remember(job, as: ids)
        return ids
    }

    private func qsub(_ job: JobDescription, extra: [String]) throws(PilotError) -> String {
        // -w e: a request no queue could ever meet is refused now ("no suitable queues"), not left waiting.
        var arguments = ["qsub", "-terse", "-w", "e", "-S", "/bin/sh", "-V"] + extra
        if job.held { arguments.append("-h") }
        if job.slots > 1 { arguments += ["-pe", "smp", String(job.slots)] }
        if let name = job.name { arguments += ["-N", name] }
        if let directory = job.workingDirectory { arguments += ["-wd", directory] }
        if let output = job.output { arguments += ["-o", output] }
        if let error = job.error { arguments += ["-e", error] } else if job.output != nil { arguments += ["-j", "y"] }
        if let minutes = job.wallTimeMinutes {
            let total = HostCommands.minutes(minutes)
            arguments += ["-l", "h_rt=\(total / 60):\(total % 60):00"]
        }
        if let queue = job.queue { arguments += ["-q", queue] }
        if let project = job.project { arguments += ["-P", project] }
        let printed = try commands.run(arguments, input: HostCommands.script(for: job)).trimmed
        // "12", or "12.1-10:1" for an array.
        let id = String(printed.prefix { $0 != "." })
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw PilotError(.backend, "\(resource): qsub printed no job id: \(printed)")
        }
        return id
    }

    private func remember(_ job: JobDescription, as ids: [String]) {
        let files = [job.output, job.error].compactMap { $0 }
        outputs.withLock { outputs in
            for id in ids { outputs[id] = files }
        }
    }

    package func status(of id: String) throws(PilotError) -> JobStatus {
        try info(of: id).status
    }

    package func info(of id: String) throws(PilotError) -> JobInfo {
        let (job, task) = try Self.parse(id)
        let xml = try commands.run(["qstat", "-xml", "-u", "*"])
        if let entry = XMLFields.records(xml, element: "job_list").first(where: { Self.matches($0, job: job, task: task) }) {
            let native = entry["state"] ?? "?"
            var info = JobInfo(id: id, status: JobStatus(Self.state(native), native: native))
            info.submissionTime = HostCommands.time(entry["JB_submission_time"])
            info.dispatchTime = HostCommands.time(entry["JAT_start_time"])
            let queue = entry["queue_name"] ?? ""
            info.queue = queue.isEmpty ? nil : String(queue.prefix { $0 != "@" })
            info.hosts = queue.contains("@") ? [String(queue.split(separator: "@").last ?? "")] : []
            info.slots = entry["slots"].flatMap { Int($0) }
            if native.contains("E") {
                // An error state (Eqw) lasts until someone clears it: the job will not start by itself.
                info.cannotRun = true
                info.reason = errorReason(of: job)
            }
            return info
        }
        return try accounted(id, job: job, task: task)
    }

    /// The first `error reason` line of `qstat -j`, which says why a job is
    /// in an error state ("can't open output file ..."), without its time stamp.
    private func errorReason(of job: String) -> String? {
        guard case .success(let result) = commands.result(["qstat", "-j", job]), result.succeeded else { return nil }
        guard let line = result.output.split(separator: "\n").first(where: { $0.hasPrefix("error reason") }) else { return nil }
        // "error reason    1:      12/01/2026 08:01:08 [0:23121]: error: can't open output file ..."
        let text = line.drop { $0 != "]" }.dropFirst().drop { $0 == ":" || $0 == " " }
        return text.isEmpty ? String(line) : String(text)
    }

    /// An ended job, from the accounting file.
    private func accounted(_ id: String, job: String, task: String?) throws(PilotError) -> JobInfo {
        switch commands.result(["qacct", "-j", job] + (task.map { ["-t", $0] } ?? [])) {
        case .success(let result) where result.succeeded:
            var fields: [String: String] = [:]
            for line in result.output.split(separator: "\n") {
                let key = line.prefix { $0 != " " }
                fields[String(key)] = line.dropFirst(key.count).trimmed
            }
            let exit = fields["exit_status"].flatMap { Int32($0.prefix { $0 != " " }) }
            let failed = fields["failed"].map { $0.prefix { $0 != " " } } ?? "0"
            let succeeded = exit == 0 && failed == "0"
            var native = "exit_status \(exit.map(String.init) ?? "?")"
            if failed != "0", let reason = fields["failed"] { native += ", failed \(reason)" }
            var info = JobInfo(id: id, status: JobStatus(succeeded ? .done : .failed, native: native))
            info.exitStatus = exit
            if let exit, exit > 128 { info.terminatingSignal = exit - 128 }
            info.submissionTime = HostCommands.ctime(fields["qsub_time"])
            info.dispatchTime = HostCommands.ctime(fields["start_time"])
            info.finishTime = HostCommands.ctime(fields["end_time"])
            info.hosts = fields["hostname"].map { [$0] } ?? []
            info.queue = fields["qname"]
            info.slots = fields["slots"].flatMap { Int($0) }
            return info
        case .success where deletedWhileQueued.contains(id, orWhole: job):
            var info = JobInfo(id: id, status: JobStatus(.failed, native: "deleted while queued"))
            info.reason = "qdel before it started (Grid Engine keeps no accounting record of it)"
            return info
        case .success:
            // Ended so recently that the accounting file does not have it yet, deleted before it started, or unknown.
            return JobInfo(id: id, status: JobStatus(.undetermined, native: "not in qstat or qacct"))
        case .failure(let failure):
            throw PilotError(.backend, "\(resource): cannot run qacct: \(failure.reason)")
        }
    }

    package func control(_ action: JobControl, _ id: String) throws(PilotError) {
        _ = try Self.parse(id)
        switch action {
        case .terminate:
            let queued: Set<JobState> = [.queued, .queuedHeld]
            if let state = try? status(of: id).state, queued.contains(state) { deletedWhileQueued.note(id) }
            _ = try commands.run(["qdel", id])
        case .suspend: _ = try commands.run(["qmod", "-sj", id])
        case .resume: _ = try commands.run(["qmod", "-usj", id])
        case .hold: _ = try commands.run(["qhold", id])
        case .release: _ = try commands.run(["qrls", id])
        }
    }

    package func delete(_ id: String) throws(PilotError) {
        throw PilotError(.unsupported, "\(resource): Grid Engine forgets ended jobs by itself (qacct keeps their accounting); there is nothing to delete")
    }

    package func jobs() throws(PilotError) -> [String] {
        let xml = try commands.run(["qstat", "-xml"] + (commands.user.map { ["-u", $0] } ?? []))
        var ids: [String] = []
        var seen: Set<String> = []
        for entry in XMLFields.records(xml, element: "job_list") {
            guard let job = entry["JB_job_number"] else { continue }
            // An array's pending tasks share one entry ("5-10:1"): each is listed as submit returned it.
            let tasks = entry["tasks"].map(TaskRanges.init)?.indices ?? []
            for id in tasks.isEmpty ? [job] : tasks.map({ "\(job).\($0)" }) where seen.insert(id).inserted {
                ids.append(id)
            }
        }
        return ids
    }

    package func queues() throws(PilotError) -> [String] {
        try commands.run(["qconf", "-sql"]).split(separator: "\n").map { $0.trimmed }
    }

    package func resourceStatus() throws(PilotError) -> ResourceStatus {
        // qstat -g c: CLUSTER QUEUE, CQLOAD, USED, RES, AVAIL, TOTAL, aoACDS, cdsuE per queue.
        let rows = try commands.run(["qstat", "-g", "c"]).split(separator: "\n").dropFirst(2).map { $0.split(separator: " ") }
        let totals = rows.filter { $0.count >= 6 }.reduce((0, 0)) { sum, row in
            (sum.0 + (Int(row[5]) ?? 0), sum.1 + (Int(row[4]) ?? 0))
        }
        var running = 0, queued = 0
        for entry in XMLFields.records(try commands.run(["qstat", "-xml", "-u", "*"]), element: "job_list") {
            // An entry of pending array tasks stands for each of them.
            let count = max(1, entry["tasks"].map { TaskRanges($0).count } ?? 1)
            switch Self.state(entry["state"] ?? "") {
            case .running: running += count
            case .queued, .queuedHeld: queued += count
            default: break
            }
        }
        return ResourceStatus(totalSlots: totals.0, freeSlots: totals.1, running: running, queued: queued)
    }

    package func outputFiles(of id: String) throws(PilotError) -> [String] {
        _ = try Self.parse(id)
        guard let files = outputs.withLock({ $0[id] }), !files.isEmpty else {
            throw PilotError(.notFound, "\(resource): no output paths known for job \(id); Grid Engine keeps them only while a job runs, and this service did not submit it with explicit paths")
        }
        return files
    }

    package func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        try commands.peek(path, offset: offset, size: size)
    }

    /// DRMAA2's state for a Grid Engine state code (`qw`, `hqw`, `r`, `s`, `Eqw`, ...).
    static func state(_ native: String) -> JobState {
        if native.contains("E") || native.contains("h") { return native.contains("R") ? .requeuedHeld : .queuedHeld }
        if native.contains("s") || native.contains("S") || native.contains("T") { return .suspended }
        if native.contains("r") || native.contains("t") { return native.contains("R") ? .requeued : .running }
        if native.contains("q") || native.contains("w") { return .queued }
        return .undetermined
    }

    private static func matches(_ entry: [String: String], job: String, task: String?) -> Bool {
        guard entry["JB_job_number"] == job else { return false }
        guard let task, let index = Int(task) else { return true }
        return entry["tasks"].map { TaskRanges($0).contains(index) } ?? false
    }

    /// `N` or `N.T` with digits only: nothing a command line could misread.
    static func parse(_ id: String) throws(PilotError) -> (job: String, task: String?) {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            throw PilotError(.invalidArgument, "\(quoted(id)) is not a Grid Engine job id (digits, or digits.task for an array task)")
        }
        return (String(parts[0]), parts.count == 2 ? String(parts[1]) : nil)
    }
}
