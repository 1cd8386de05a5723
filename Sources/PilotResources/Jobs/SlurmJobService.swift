import PilotModel
import PilotSystem

/// The `slurm://` adaptor: jobs through `sbatch`, `scontrol`, `scancel`,
/// `squeue` and `sinfo` on this host. `scontrol show job` answers for
/// pending, running and recently ended jobs (SLURM keeps them for its
/// MinJobAge, 300 s by default).
package struct SlurmJobService: JobService {
    package let resource: String
    private let commands: HostCommands
    /// Pending array tasks this service cancelled: SLURM drops their records.
    private let deletedWhileQueued = QueuedDeletions()

    /// A service for `url` (`slurm://localhost`).
    package init(url: ServiceURL) {
        resource = url.text
        commands = HostCommands(url: url)
    }

    package func submit(_ job: JobDescription) throws(PilotError) -> String {
        try sbatch(job, extra: [])
    }

    package func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String] {
        try array.check()
        let wrapped = HostCommands.indexed(job, from: "SLURM_ARRAY_TASK_ID")
        let range = "\(array.begin)-\(array.end):\(array.step)" + (array.maxParallel.map { "%\($0)" } ?? "")
        let id = try sbatch(wrapped, extra: ["--array=\(range)"])
        return array.indices.map { "\(id)_\($0)" }
    }

    private func sbatch(_ job: JobDescription, extra: [String]) throws(PilotError) -> String {
        var arguments = ["sbatch", "--parsable", "--ntasks=\(job.slots)"] + extra
        if let nodes = job.nodes { arguments.append("--nodes=\(nodes)") }
        if let name = job.name { arguments.append("--job-name=\(name)") }
        if let directory = job.workingDirectory { arguments.append("--chdir=\(directory)") }
        if let output = job.output { arguments.append("--output=\(output)") }
        if let error = job.error { arguments.append("--error=\(error)") }
        if let minutes = job.wallTimeMinutes { arguments.append("--time=\(HostCommands.minutes(minutes))") }
        if let queue = job.queue { arguments.append("--partition=\(queue)") }
        if let project = job.project { arguments.append("--account=\(project)") }
        if job.toleratesNodeFailure { arguments.append("--no-kill") }
        if job.held { arguments.append("--hold") }
        let printed = try commands.run(arguments, input: HostCommands.script(for: job))
        let id = printed.split(whereSeparator: { $0 == ";" || $0 == "\n" }).first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw PilotError(.backend, "\(resource): sbatch printed no job id: \(printed)")
        }
        return id
    }

    package func status(of id: String) throws(PilotError) -> JobStatus {
        try info(of: id).status
    }

    package func info(of id: String) throws(PilotError) -> JobInfo {
        try Self.checkID(id)
        let fields: [String: String]
        switch commands.result(["scontrol", "show", "job", "--oneliner", id]) {
        case .success(let result) where result.succeeded:
            fields = Self.fields(result.output)
        case .success(let result) where result.message.contains("Invalid job id"):
            // Ended long enough ago that SLURM no longer reports it.
            return JobInfo(id: id, status: JobStatus(.undetermined, native: "unknown to scontrol"))
        case .success(let result) where result.message.contains("not found") && id.contains("_"):
            // A pending task cancelled before SLURM split it off the array has no record of its own.
            if deletedWhileQueued.contains(id) {
                var info = JobInfo(id: id, status: JobStatus(.failed, native: "CANCELLED"))
                info.reason = "cancelled before it started (SLURM keeps no record of a pending array task it cancels)"
                return info
            }
            guard let record = try arrayRecord(of: id) else {
                return JobInfo(id: id, status: JobStatus(.undetermined, native: "unknown to scontrol"))
            }
            fields = record
        case .success(let result):
            throw PilotError(.backend, "\(resource): scontrol show job \(id) failed: \(result.message)")
        case .failure(let failure):
            throw PilotError(.backend, "\(resource): cannot run scontrol: \(failure.reason)")
        }
        let native = fields["JobState"] ?? "UNKNOWN"
        var info = JobInfo(id: id, status: JobStatus(Self.state(native, reason: fields["Reason"]), native: native))
        info.hosts = fields["NodeList"].map { $0 == "(null)" || $0.isEmpty ? [] : [$0] } ?? []
        // A job cancelled before it started has no nodes and no exit status (SLURM prints 0:0).
        if let exit = fields["ExitCode"]?.split(separator: ":"), exit.count == 2, info.status.state.isFinal, !info.hosts.isEmpty {
            info.exitStatus = Int32(exit[0])
            // 1-31: a signal; SLURM puts other codes there too (0:53 when the job could not be launched).
            info.terminatingSignal = Int32(exit[1]).flatMap { (1...31).contains($0) ? $0 : nil }
        }
        // A cancelled job keeps the reason it was pending for, which no longer says anything.
        info.reason = fields["Reason"].flatMap { $0 == "None" || native == "CANCELLED" ? nil : $0 }
        info.cannotRun = info.status.state == .queued && info.reason.map(Self.meansNeverRuns) == true
        info.submissionTime = HostCommands.time(fields["SubmitTime"])
        info.dispatchTime = info.status.state == .queued || info.hosts.isEmpty ? nil : HostCommands.time(fields["StartTime"])
        info.finishTime = info.status.state.isFinal ? HostCommands.time(fields["EndTime"]) : nil
        info.slots = fields["NumCPUs"].flatMap { Int($0) }
        info.queue = fields["Partition"]
        return info
    }

    /// The record that stands for pending array task `id` (`12_3`) in
    /// `scontrol show job 12`: the one whose ArrayTaskId covers its index.
    private func arrayRecord(of id: String) throws(PilotError) -> [String: String]? {
        let parts = id.split(separator: "_")
        guard parts.count == 2, let index = Int(parts[1]) else { return nil }
        let records = try commands.run(["scontrol", "show", "job", "--oneliner", String(parts[0])]).split(separator: "\n").map { Self.fields(String($0)) }
        return records.first { record in
            record["ArrayTaskId"].map { TaskRanges(String($0.prefix { $0 != "%" })).contains(index) } == true
        }
    }

    package func control(_ action: JobControl, _ id: String) throws(PilotError) {
        try Self.checkID(id)
        switch action {
        case .terminate:
            // scancel says nothing of a job that ended or never was: ask first, as the other adaptors' commands do.
            let status = try status(of: id)
            if status.state == .undetermined { throw PilotError(.notFound, "\(resource): no job \(id) is known to SLURM") }
            if status.state.isFinal { throw PilotError(.invalidState, "\(resource): job \(id) has already ended (\(status.native))") }
            if id.contains("_"), status.state == .queued || status.state == .queuedHeld { deletedWhileQueued.note(id) }
            _ = try commands.run(["scancel", id])
        case .suspend, .resume, .hold, .release: _ = try commands.run(["scontrol", action.rawValue, id])
        }
    }

    package func delete(_ id: String) throws(PilotError) {
        throw PilotError(.unsupported, "\(resource): SLURM forgets ended jobs by itself (after its MinJobAge); there is nothing to delete")
    }

    package func jobs() throws(PilotError) -> [String] {
        // --array lists each pending task (`12_3`, as submit returned it), not `12_[3-10]`.
        let printed = try commands.run(["squeue", "--noheader", "--array", "--format=%i"] + (commands.user.map { ["--user=\($0)"] } ?? []))
        return printed.split(separator: "\n").map { String($0).trimmed }
    }

    package func queues() throws(PilotError) -> [String] {
        try commands.run(["sinfo", "--noheader", "--format=%P"]).split(separator: "\n").map {
            String($0.trimmed.filter { $0 != "*" })
        }
    }

    package func resourceStatus() throws(PilotError) -> ResourceStatus {
        // %C: allocated/idle/other/total cores.
        let cores = try commands.run(["sinfo", "--noheader", "--format=%C"]).trimmed.split(separator: "/").compactMap { Int($0) }
        guard cores.count == 4 else { throw PilotError(.backend, "\(resource): sinfo printed no core counts") }
        let states = try commands.run(["squeue", "--noheader", "--array", "--format=%t"]).split(separator: "\n").map { $0.trimmed }
        return ResourceStatus(totalSlots: cores[3], freeSlots: cores[1], running: states.filter { $0 == "R" }.count,
                              queued: states.filter { $0 == "PD" }.count)
    }

    package func outputFiles(of id: String) throws(PilotError) -> [String] {
        try Self.checkID(id)
        let fields = Self.fields(try commands.run(["scontrol", "show", "job", "--oneliner", id]))
        var files: [String] = []
        for key in ["StdOut", "StdErr"] {
            if let path = fields[key], !files.contains(path) { files.append(path) }
        }
        return files
    }

    package func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        try commands.peek(path, offset: offset, size: size)
    }

    /// `KEY=value` pairs of one `scontrol --oneliner` line (values may hold spaces).
    static func fields(_ line: String) -> [String: String] {
        var fields: [String: String] = [:]
        var last: String?
        for token in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if let equals = token.firstIndex(of: "="), token[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || "/:_".contains($0) }) {
                let key = String(token[..<equals])
                fields[key] = String(token[token.index(after: equals)...])
                last = key
            } else if let key = last {
                fields[key, default: ""] += " " + token
            }
        }
        return fields
    }

    /// DRMAA2's state for a SLURM job state.
    static func state(_ native: String, reason: String?) -> JobState {
        switch native {
        case "PENDING": reason?.hasPrefix("JobHeld") == true ? .queuedHeld : .queued
        case "RUNNING", "COMPLETING", "CONFIGURING", "STAGE_OUT", "SIGNALING", "RESIZING": .running
        case "SUSPENDED", "STOPPED": .suspended
        case "REQUEUED", "REQUEUE_FED": .requeued
        case "REQUEUE_HOLD", "SPECIAL_EXIT": .requeuedHeld
        case "COMPLETED": .done
        case "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "REVOKED": .failed
        default: .undetermined
        }
    }

    /// Whether a pending job's reason means it will never start as asked
    /// (squeue's job reason codes; a cluster with EnforcePartLimits refuses
    /// most of these at sbatch): its partition's time limit, a per-job limit
    /// of its QOS or association, a failed dependency, a constraint no node
    /// offers, an account or QOS it may not use. Reasons that can pass (busy
    /// or drained nodes, per-user limits) are not among them.
    package static func meansNeverRuns(_ reason: String) -> Bool {
        let never: Set = ["BadConstraints", "PartitionTimeLimit", "DependencyNeverSatisfied", "InvalidAccount", "InvalidQOS",
                          "AccountNotAllowed", "QOSNotAllowed"]
        return never.contains(reason) || (reason.hasPrefix("QOSMax") || reason.hasPrefix("AssocMax")) && reason.hasSuffix("PerJobLimit")
    }

    /// Job ids are digits, with `_<index>` for array tasks: nothing a command line could misread.
    static func checkID(_ id: String) throws(PilotError) {
        let parts = id.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            throw PilotError(.invalidArgument, "\(quoted(id)) is not a SLURM job id (digits, or digits_index for an array task)")
        }
    }
}
