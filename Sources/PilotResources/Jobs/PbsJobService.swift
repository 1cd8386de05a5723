import PilotModel
import PilotSystem

/// The `pbs://` adaptor (PBS Professional and Torque): jobs through
/// `qsub`, `qstat -f -x`, `qdel`, `qhold`, `qrls` and `qsig`. Debian has no
/// PBS server: CI tests this adaptor on outputs recorded from a live
/// OpenPBS (Tests/PilotTests/Fixtures/pbs), and PbsLiveTests runs the
/// shared job-API scenarios against a live server where one answers.
package struct PbsJobService: JobService {
    package let resource: String
    private let commands: HostCommands

    /// A service for `url` (`pbs://localhost`).
    package init(url: ServiceURL) {
        resource = url.text
        commands = HostCommands(url: url, client: ManagerClient.pbs())
    }

    /// `qsub`'s arguments for `job` (an array with `-J begin-end:step`,
    /// PBS Professional's form; the task index reaches the program as
    /// PILOT_TASK_INDEX from PBS_ARRAY_INDEX).
    static func submitArguments(_ job: JobDescription, array: JobArray?) -> [String] {
        var arguments = ["qsub"]
        if job.held { arguments.append("-h") }
        let nodes = job.nodes ?? 1
        let perNode = max(1, (job.slots + nodes - 1) / nodes)
        arguments += ["-l", "select=\(nodes):ncpus=\(perNode):mpiprocs=\(perNode)"]
        if let minutes = job.wallTimeMinutes {
            let total = HostCommands.minutes(minutes)
            arguments += ["-l", "walltime=\(total / 60):\(total % 60 < 10 ? "0" : "")\(total % 60):00"]
        }
        if let name = job.name { arguments += ["-N", String(name.prefix(maximumNameLength))] }
        if let output = job.output { arguments += ["-o", output] }
        if let error = job.error { arguments += ["-e", error] } else if job.output != nil { arguments += ["-j", "oe"] }
        if let queue = job.queue { arguments += ["-q", queue] }
        if let project = job.project { arguments += ["-A", project] }
        if let array {
            arguments += ["-J", "\(array.begin)-\(array.end):\(array.step)" + (array.maxParallel.map { "%\($0)" } ?? "")]
        }
        return arguments
    }

    /// OpenPBS 23.06 takes names of up to 230 characters (Torque 15; a
    /// pilot's name, its 39-character id, fits the former).
    static let maximumNameLength = 230

    /// The job script: PBS starts jobs in the home directory, so it changes
    /// to the working directory first.
    static func script(_ job: JobDescription, array: Bool) -> String {
        let job = array ? HostCommands.indexed(job, from: "PBS_ARRAY_INDEX") : job
        let directory = job.workingDirectory.map { ["cd \(ShellLine.quoted($0)) || exit 1"] } ?? []
        return HostCommands.script(for: job, directives: directory)
    }

    /// `qsub`'s arguments and script for `job`, or for `array` of it. PBS
    /// refuses `-J 3-3` ("illegal -J value"): an array of one task is one
    /// job that knows its index.
    static func submission(_ job: JobDescription, array: JobArray?) -> (arguments: [String], script: String) {
        guard let array, array.indices.count > 1 else {
            var single = job
            if let array { single.environment["PILOT_TASK_INDEX"] = String(array.begin) }
            return (submitArguments(single, array: nil), script(single, array: false))
        }
        return (submitArguments(job, array: array), script(job, array: true))
    }

    // qsub runs in the job's working directory: PBS writes output files without a path there.
    package func submit(_ job: JobDescription) throws(PilotError) -> String {
        let (arguments, script) = Self.submission(job, array: nil)
        return try Self.jobID(try commands.run(arguments, input: script, directory: job.workingDirectory))
    }

    package func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String] {
        try array.check()
        let (arguments, script) = Self.submission(job, array: array)
        let id = try Self.jobID(try commands.run(arguments, input: script, directory: job.workingDirectory))
        guard array.indices.count > 1 else { return [id] }
        // "1234[].server" names the array; "1234[7].server" its task 7.
        guard let open = id.firstIndex(of: "[") else { return array.indices.map { "\(id)[\($0)]" } }
        return array.indices.map { "\(id[..<open])[\($0)]\(id[id.index(after: open)...].drop { $0 != "]" }.dropFirst())" }
    }

    /// The id `qsub` printed (`1234.server`).
    static func jobID(_ printed: String) throws(PilotError) -> String {
        let id = printed.trimmed
        try checkID(id)
        return id
    }

    package func status(of id: String) throws(PilotError) -> JobStatus {
        try info(of: id).status
    }

    package func info(of id: String) throws(PilotError) -> JobInfo {
        try Self.checkID(id)
        switch commands.result(["qstat", "-f", "-x", id]) {
        case .success(let result) where result.succeeded:
            return Self.parse(result.output).first { $0.id == id } ?? JobInfo(id: id, status: JobStatus(.undetermined, native: "not in qstat"))
        case .success(let result) where result.message.contains("Unknown Job Id"):
            return JobInfo(id: id, status: JobStatus(.undetermined, native: "unknown to qstat"))
        case .success(let result):
            throw PilotError(.backend, "\(resource): qstat -f \(id) failed: \(result.message)")
        case .failure(let failure):
            throw PilotError(.backend, "\(resource): cannot run qstat: \(failure.reason)")
        }
    }

    /// Every job of `qstat -f` output.
    static func parse(_ text: String) -> [JobInfo] {
        records(text).map { info($0.id, $0.fields) }
    }

    /// Every job record of `qstat -f` output: its id and its attributes
    /// (lines `key = value`, continued on tab-indented lines).
    static func records(_ text: String) -> [(id: String, fields: [String: String])] {
        var jobs: [(id: String, fields: [String: String])] = []
        var fields: [String: String] = [:]
        var id: String?
        var last: String?
        func flush() {
            guard let id else { return }
            jobs.append((id, fields))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Job Id:") {
                flush()
                id = line.dropFirst("Job Id:".count).trimmed
                fields = [:]
                last = nil
            } else if line.hasPrefix("\t"), let key = last {
                // qstat wraps long values at a fixed width, even inside a word or before a space.
                fields[key, default: ""] += line.dropFirst()
            } else if let equals = line.firstRange(of: " = ") {
                let key = line[..<equals.lowerBound].trimmed
                fields[key] = String(line[equals.upperBound...])
                last = key
            }
        }
        flush()
        return jobs
    }

    private static func info(_ id: String, _ fields: [String: String]) -> JobInfo {
        let native = fields["job_state"] ?? "?"
        var exit = fields["Exit_status"].flatMap { Int32($0.trimmed) }
        let hosts = executionHosts(fields["exec_host"])
        var state = state(native)
        // Done only with exit status 0 of a job that ran and was not
        // terminated: qdel by root leaves Exit_status 0 (substate 91), qdel
        // of a queued job leaves none, and a queued array task deleted is
        // rewritten as finished with Exit_status 0 when its array ends,
        // though it never ran anywhere (no exec_host).
        let neverRan = hosts.isEmpty && !id.contains("[]")
        if state == .done, exit != 0 || fields["substate"]?.trimmed == terminatedSubstate || neverRan { state = .failed }
        if neverRan { exit = nil }
        var info = JobInfo(id: id, status: JobStatus(state, native: native))
        info.reason = fields["comment"]
        if let code = exit, code < 0 {
            // The MOM's own codes (JOB_EXEC_*: -29 for the walltime), not the script's status.
            info.reason = (info.reason.map { $0 + "; " } ?? "") + "PBS exit code \(code)"
            exit = nil
        }
        info.exitStatus = state.isFinal ? exit : nil
        info.terminatingSignal = exit.flatMap(signal(ofExitStatus:))
        info.cannotRun = state == .queued && fields["comment"]?.hasPrefix("Can Never Run") == true
        info.submissionTime = HostCommands.ctime(fields["ctime"])
        info.dispatchTime = HostCommands.ctime(fields["stime"])
        // obittime is the job's own end; mtime is the last change of its record (an array's, for a task).
        info.finishTime = state.isFinal ? HostCommands.ctime(fields["obittime"] ?? fields["mtime"]) : nil
        info.hosts = hosts
        info.slots = fields["Resource_List.ncpus"].flatMap { Int($0.trimmed) }
        info.queue = fields["queue"]
        return info
    }

    /// The hosts of an exec_host value: "node01/0*2+node02/0*2" (PBS Pro)
    /// or "node01/0+node01/1" (Torque).
    private static func executionHosts(_ value: String?) -> [String] {
        var hosts: [String] = []
        for part in (value ?? "").split(separator: "+") {
            let host = String(part.prefix { $0 != "/" })
            if !host.isEmpty, !hosts.contains(host) { hosts.append(host) }
        }
        return hosts
    }

    /// The substate of a job that qdel ended.
    private static let terminatedSubstate = "91"

    /// The signal that ended a job: PBS reports 256+n when it killed the
    /// job's process, and the job's shell exits 128+n when a signal killed
    /// what it ran.
    static func signal(ofExitStatus exit: Int32) -> Int32? {
        switch exit {
        case 257...320: exit - 256
        case 129...192: exit - 128
        default: nil
        }
    }

    /// DRMAA2's state for a PBS state letter.
    static func state(_ native: String) -> JobState {
        switch native {
        case "Q", "W", "T", "M": .queued
        case "H": .queuedHeld
        case "R", "E", "B": .running
        case "S", "U": .suspended
        case "F", "C", "X": .done
        default: .undetermined
        }
    }

    package func control(_ action: JobControl, _ id: String) throws(PilotError) {
        _ = try commands.run(Self.controlArguments(action, id))
    }

    /// The command for `action` on job `id`.
    static func controlArguments(_ action: JobControl, _ id: String) throws(PilotError) -> [String] {
        try checkID(id)
        if action == .hold || action == .release, id.contains("["), !id.contains("[]") {
            throw PilotError(.unsupported, "PBS holds and releases whole arrays, not one task (\(id)); \(action.rawValue) the array \(id.prefix { $0 != "[" })[]\(id.drop { $0 != "]" }.dropFirst()) instead")
        }
        switch action {
        case .terminate: return ["qdel", id]
        case .suspend: return ["qsig", "-s", "suspend", id]
        case .resume: return ["qsig", "-s", "resume", id]
        case .hold: return ["qhold", id]
        case .release: return ["qrls", id]
        }
    }

    package func delete(_ id: String) throws(PilotError) {
        try Self.checkID(id)
        _ = try commands.run(["qdel", "-x", id])
    }

    package func jobs() throws(PilotError) -> [String] {
        // `qstat -f -u USER` ignores -f and prints the short table: list all, keep the user's.
        // -t lists an array's tasks, by the ids submit returned.
        Self.ids(ownedBy: commands.user, in: try commands.run(["qstat", "-f", "-t"]))
    }

    /// The ids of the jobs and array tasks of `qstat -f -t` output whose
    /// Job_Owner is `user@host` (every one without a user); an array's own
    /// record (`12[].server`) is left out, its tasks stand for it.
    static func ids(ownedBy user: String?, in text: String) -> [String] {
        records(text).filter { record in
            !record.id.contains("[]") && user.map { record.fields["Job_Owner"]?.trimmed.hasPrefix($0 + "@") == true } ?? true
        }.map(\.id)
    }

    package func queues() throws(PilotError) -> [String] {
        Self.queueNames(try commands.run(["qstat", "-Q"]))
    }

    /// The queues of `qstat -Q` output: a two-line header, then one queue per line.
    static func queueNames(_ text: String) -> [String] {
        text.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    package func resourceStatus() throws(PilotError) -> ResourceStatus {
        // -t lists an array's tasks (each queued or running), not just the array.
        Self.resourceStatus(jobs: try commands.run(["qstat", "-f", "-t"]), nodes: try commands.run(["pbsnodes", "-a"]))
    }

    /// Cores from `pbsnodes -a` (an offline or down node's are not free),
    /// jobs and array tasks from `qstat -f -t` (an array's own record is not counted).
    static func resourceStatus(jobs: String, nodes: String) -> ResourceStatus {
        var total = 0, free = 0
        for node in nodeRecords(nodes) {
            let cores = Int(node["resources_available.ncpus"] ?? node["np"] ?? "") ?? 0
            let assigned = Int(node["resources_assigned.ncpus"] ?? "") ?? 0
            let state = node["state"] ?? ""
            total += cores
            if !state.contains("offline") && !state.contains("down") { free += max(0, cores - assigned) }
        }
        let counted = parse(jobs).filter { !$0.id.contains("[]") }
        return ResourceStatus(totalSlots: total, freeSlots: free,
                              running: counted.filter { $0.status.state == .running }.count,
                              queued: counted.filter { $0.status.state == .queued || $0.status.state == .queuedHeld }.count)
    }

    /// The attributes of each node of `pbsnodes -a` output: a name line,
    /// then indented `key = value` lines.
    static func nodeRecords(_ text: String) -> [[String: String]] {
        var nodes: [[String: String]] = []
        for line in text.split(separator: "\n") {
            if !line.hasPrefix(" ") && !line.hasPrefix("\t") {
                nodes.append([:])
            } else if let equals = line.firstRange(of: " = "), !nodes.isEmpty {
                nodes[nodes.count - 1][line[..<equals.lowerBound].trimmed] = line[equals.upperBound...].trimmed
            }
        }
        return nodes
    }

    package func outputFiles(of id: String) throws(PilotError) -> [String] {
        try Self.checkID(id)
        let record = Self.records(try commands.run(["qstat", "-f", "-x", id])).first { $0.id == id }
        return Self.outputPaths(record?.fields ?? [:])
    }

    /// The paths of Output_Path and Error_Path (`host:/path`), once each;
    /// only the one the streams were joined into (`Join_Path` oe or eo).
    static func outputPaths(_ fields: [String: String]) -> [String] {
        var paths: [String] = []
        let keys = switch fields["Join_Path"]?.trimmed {
        case "oe": ["Output_Path"]
        case "eo": ["Error_Path"]
        default: ["Output_Path", "Error_Path"]
        }
        for key in keys {
            guard let value = fields[key] else { continue }
            let path = String(value.drop { $0 != ":" }.dropFirst())
            if !path.isEmpty, !paths.contains(path) { paths.append(path) }
        }
        return paths
    }

    package func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        try commands.peek(path, offset: offset, size: size)
    }

    /// `1234.server`, `1234[].server` or `1234[7].server`: digits, then
    /// letters, digits, dots, dashes and brackets only.
    static func checkID(_ id: String) throws(PilotError) {
        let digits = id.prefix { $0.isNumber }
        guard !digits.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || ".-_[]".contains($0) }) else {
            throw PilotError(.invalidArgument, "\(quoted(id)) is not a PBS job id (like 1234.server)")
        }
    }
}
