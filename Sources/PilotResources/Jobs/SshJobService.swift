import PilotModel
import PilotSystem

/// The `ssh://[user@]host[:port]` adaptor of the job API: jobs are process
/// groups on the remote host, each with a directory under
/// `~/.pilot-jobs/<id>/` holding its pid and, once it ends, its exit status
/// (written by a small sh wrapper), so any later ssh call can tell its
/// state. Arrays run under one remote driver that starts at most
/// `maxParallel` tasks at once. Hold and release have no meaning here and
/// are errors.
package struct SshJobService: JobService {
    package let resource: String
    private let commands: HostCommands
    static let base = "$HOME/.pilot-jobs"

    /// A service for `url`.
    package init(url: ServiceURL) {
        resource = url.text
        commands = HostCommands(url: url)
    }

    /// Runs `script` with sh on the remote host; its stdout.
    private func remote(_ script: String) throws(PilotError) -> String {
        try commands.run(["sh", "-c", script])
    }

    /// The wrapper that runs one job: records its pid, runs it, records its exit status.
    private static func wrapper(_ job: JobDescription, directory: String) -> String {
        let output = job.output.map(ShellLine.quoted) ?? "\"$d/stdout\""
        let error = job.error.map(ShellLine.quoted) ?? "\"$d/stderr\""
        let exports = job.environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(ShellLine.quoted($0.value)); " }.joined()
        let program = ([job.executable] + job.arguments).map(ShellLine.quoted).joined(separator: " ")
        let place = job.workingDirectory.map { "cd \(ShellLine.quoted($0)) || exit 1; " } ?? ""
        return "d=\(directory); mkdir -p \"$d\"; echo \(output) > \"$d/output\"; echo \(error) >> \"$d/output\"; "
            + "setsid sh -c 'd=$0; echo $$ > \"$d/pid\"; date +%s > \"$d/started\"; "
            + "eval \"$1\"; echo $? > \"$d/exit.new\"; date +%s > \"$d/finished\"; mv \"$d/exit.new\" \"$d/exit\"' \"$d\" "
            + ShellLine.quoted("\(exports)\(place)\(program) > \(output) 2> \(error) < /dev/null")
            + " > /dev/null 2>&1 < /dev/null &"
    }

    package func submit(_ job: JobDescription) throws(PilotError) -> String {
        try refuseHeld(job)
        let id = Self.newID()
        _ = try remote(Self.wrapper(job, directory: "\(Self.base)/\(id)") + " echo submitted")
        return id
    }

    package func submit(_ job: JobDescription, array: JobArray) throws(PilotError) -> [String] {
        try array.check()
        try refuseHeld(job)
        let id = Self.newID()
        let limit = array.maxParallel ?? Int(Int32.max)
        var tasks: [String] = []
        for index in array.indices {
            var task = job
            task.environment["PILOT_TASK_INDEX"] = String(index)
            let directory = "\(Self.base)/\(id)_\(index)"
            // Each task waits for room, then starts and is waited for by the driver.
            tasks.append("while [ $(jobs -p | wc -l) -ge \(limit) ]; do wait -n; done; "
                         + "(\(Self.wrapper(task, directory: directory).dropLast(2)); wait) & ")
        }
        let indices = array.indices.map { "mkdir -p \(Self.base)/\(id)_\($0); " }.joined()
        let driver = "bash -c \(ShellLine.quoted(tasks.joined() + "wait")) > /dev/null 2>&1 < /dev/null &"
        _ = try remote(indices + "setsid " + driver + " echo submitted")
        return array.indices.map { "\(id)_\($0)" }
    }

    package func status(of id: String) throws(PilotError) -> JobStatus {
        try info(of: id).status
    }

    package func info(of id: String) throws(PilotError) -> JobInfo {
        try Self.checkID(id)
        let d = "\(Self.base)/\(id)"
        let printed = try remote("""
            d=\(d); [ -d "$d" ] || { echo unknown; exit 0; }
            if [ -f "$d/exit" ]; then echo exit $(cat "$d/exit");
            elif [ -f "$d/pid" ] && kill -0 $(cat "$d/pid") 2>/dev/null; then echo running $(ps -o stat= -p $(cat "$d/pid"));
            elif [ -f "$d/pid" ]; then echo gone; else echo queued; fi
            echo started $(cat "$d/started" 2>/dev/null); echo finished $(cat "$d/finished" 2>/dev/null); echo host $(hostname)
            """).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let first = printed.first ?? ["unknown"]
        let status: JobStatus
        var exit: Int32?
        switch first.first {
        case "exit":
            exit = first.dropFirst().first.flatMap { Int32($0) }
            status = JobStatus(exit == 0 ? .done : .failed, native: "exited \(exit.map(String.init) ?? "?")")
        case "running":
            let stat = first.dropFirst().first ?? ""
            status = JobStatus(stat.contains("T") ? .suspended : .running, native: "process state \(stat)")
        case "gone": status = JobStatus(.failed, native: "killed")
        case "queued": status = JobStatus(.queued, native: "waiting for the array driver")
        default: status = JobStatus(.undetermined, native: "no such job directory")
        }
        var info = JobInfo(id: id, status: status)
        info.exitStatus = exit
        let started = printed.first { $0.first == "started" }?.dropFirst().first.flatMap { Double($0) }
        info.dispatchTime = started
        info.submissionTime = started
        info.finishTime = status.state.isFinal ? printed.first { $0.first == "finished" }?.dropFirst().first.flatMap { Double($0) } : nil
        info.hosts = printed.first { $0.first == "host" }.map { Array($0.dropFirst()) } ?? []
        info.slots = 1
        return info
    }

    private func refuseHeld(_ job: JobDescription) throws(PilotError) {
        guard job.held else { return }
        throw PilotError(.unsupported, "\(resource): jobs over ssh start at once; there is no queue to hold them in (submit without held)")
    }

    package func control(_ action: JobControl, _ id: String) throws(PilotError) {
        try Self.checkID(id)
        let signal: String
        switch action {
        case .terminate: signal = "KILL"
        case .suspend: signal = "STOP"
        case .resume: signal = "CONT"
        case .hold, .release:
            throw PilotError(.unsupported, "\(resource): jobs over ssh start at once; there is no queue to \(action.rawValue) them in")
        }
        _ = try remote("d=\(Self.base)/\(id); [ -f \"$d/pid\" ] || { echo \"no running job \(id)\" >&2; exit 1; }; kill -\(signal) -$(cat \"$d/pid\")")
    }

    package func delete(_ id: String) throws(PilotError) {
        guard try status(of: id).state.isFinal else {
            throw PilotError(.invalidState, "\(resource): job \(id) has not ended; terminate it first")
        }
        _ = try remote("rm -rf \(Self.base)/\(id)")
    }

    package func jobs() throws(PilotError) -> [String] {
        try remote("ls \(Self.base) 2>/dev/null || true").split(separator: "\n").map(String.init)
    }

    package func queues() throws(PilotError) -> [String] {
        [resource]
    }

    package func resourceStatus() throws(PilotError) -> ResourceStatus {
        let printed = try remote("""
            nproc; n=0; for p in \(Self.base)/*/pid; do [ -f "$p" ] && kill -0 $(cat "$p") 2>/dev/null && n=$((n+1)); done; echo $n
            """).split(separator: "\n").compactMap { Int($0.trimmed) }
        guard printed.count == 2 else { throw PilotError(.backend, "\(resource): cannot read the host's core count") }
        return ResourceStatus(totalSlots: printed[0], freeSlots: max(0, printed[0] - printed[1]), running: printed[1], queued: 0)
    }

    package func outputFiles(of id: String) throws(PilotError) -> [String] {
        try Self.checkID(id)
        let printed = try remote("cat \(Self.base)/\(id)/output")
        return printed.split(separator: "\n").map(String.init)
    }

    package func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        try commands.peek(path, offset: offset, size: size)
    }

    /// Letters and digits only: safe in every command line and path.
    private static func newID() -> String {
        "j" + String(UInt64(WallClock.now() * 1000), radix: 36) + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    static func checkID(_ id: String) throws(PilotError) {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), id.first == "j" else {
            throw PilotError(.invalidArgument, "\(quoted(id)) is not a job id of an ssh job service")
        }
    }
}
