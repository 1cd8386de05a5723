import Glibc
import PilotModel
import PilotSystem

/// Commands run on a resource's host: a manager's command (or any), here or
/// on a host reached over ssh (`ssh://`, `slurm+ssh://`...), with a clear error;
/// reading a job's output where it was written; quoting for job scripts;
/// reading the manager's time stamps.
struct HostCommands: Sendable {
    /// The resource's URL, for messages.
    let resource: String
    /// `NAME=value` settings the manager's commands need, used where the
    /// environment lacks them (Grid Engine's SGE_ROOT).
    var defaults: [String] = []
    /// The login host the commands run on; nil for this host.
    var login: SshCommand?
    /// The batch system that must answer (where two install the same commands).
    var client: ManagerClient?

    /// Commands for `resource`, run on this host or on `login`.
    init(resource: String, defaults: [String] = [], login: SshCommand? = nil, client: ManagerClient? = nil) {
        self.resource = resource
        self.defaults = defaults
        self.login = login
        self.client = client
    }

    /// Commands for a service URL: on its host over ssh for the `+ssh`
    /// schemes, here for the others.
    init(url: ServiceURL, defaults: [String] = [], client: ManagerClient? = nil) {
        let remote: Set<ServiceURL.Scheme> = [.ssh, .slurmSSH, .sgeSSH, .pbsSSH]
        self.init(resource: url.text, defaults: defaults, login: remote.contains(url.scheme) ? SshCommand(url: url) : nil,
                  client: client)
    }

    /// Runs `arguments` to the end, once the right manager's client is known to answer.
    func result(_ arguments: [String], input: String? = nil) -> Result<SubprocessResult, SpawnFailure> {
        if let problem = clientProblem { return .failure(SpawnFailure(problem)) }
        return execute(arguments, input: input, directory: nil)
    }

    /// Why the commands would reach the wrong batch system, if they would.
    private var clientProblem: String? {
        client?.problem(asking: { execute($0, input: nil, directory: nil) })
    }

    /// Runs `arguments` with `input`, in `directory` when it exists there (else where the commands start).
    private func execute(_ arguments: [String], input: String?, directory: String?) -> Result<SubprocessResult, SpawnFailure> {
        if let login {
            // The remote shell fills in each default the login environment lacks.
            let settings = defaults.map { setting -> String in
                let name = setting.prefix { $0 != "=" }
                let value = ShellLine.quoted(String(setting.dropFirst(name.count + 1)))
                return "\(name)=${\(name):-\(value)}; export \(name); "
            }
            let move = directory.map { "cd \(ShellLine.quoted($0)) 2>/dev/null; " } ?? ""
            return Subprocess.run(login.arguments() + [settings.joined() + move + arguments.map(ShellLine.quoted).joined(separator: " ")], input: input)
        }
        let missing = defaults.filter { Environment.value(String($0.prefix { $0 != "=" })) == nil }
        return Subprocess.run(arguments, input: input, environment: missing,
                              workingDirectory: directory.flatMap { FileSystem.isDirectory($0) ? $0 : nil })
    }

    /// Runs `arguments` (in `directory`, if given and it exists); its
    /// stdout on success, else an error quoting the manager's own message.
    func run(_ arguments: [String], input: String? = nil, directory: String? = nil) throws(PilotError) -> String {
        if let problem = clientProblem { throw PilotError(.backend, "\(resource): \(problem)") }
        switch execute(arguments, input: input, directory: directory) {
        case .failure(let failure):
            throw PilotError(.backend, "\(resource): cannot run \(arguments.first ?? ""): \(failure.reason); is the batch system's client installed and on PATH?")
        case .success(let result) where result.succeeded:
            return result.output
        case .success(let result):
            throw PilotError(.backend, "\(resource): \(Self.name(of: arguments)) failed: \(result.message)")
        }
    }

    /// A command as far as its first option ("sbatch", "scontrol suspend 12",
    /// "qsig"): the manager's message names what it refused, and a submit's
    /// every option value would bury it.
    static func name(of arguments: [String]) -> String {
        arguments.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
    }

    /// `job` run so that each array task also sees its index, which the
    /// manager puts in `variable`, as PILOT_TASK_INDEX.
    static func indexed(_ job: JobDescription, from variable: String) -> JobDescription {
        var wrapped = job
        wrapped.executable = "/bin/sh"
        wrapped.arguments = ["-c", "PILOT_TASK_INDEX=$\(variable); export PILOT_TASK_INDEX; exec \"$0\" \"$@\"", job.executable] + job.arguments
        return wrapped
    }

    /// The submitting user's name, to list only their jobs: the login
    /// host's user when the URL names one, else this process's user (ssh's default).
    var user: String? {
        login?.user ?? Environment.userName
    }

    /// `size` bytes of file `path` from `offset` (negative: from the end),
    /// read on the host the commands run on.
    func peek(_ path: String, offset: Int, size: Int) throws(PilotError) -> String {
        guard login != nil else { return try LocalFiles.peek(path, offset: offset, size: size, resource: resource) }
        let start = offset < 0 ? "$(( $(wc -c < \(ShellLine.quoted(path))) + \(offset) ))" : String(offset)
        return try run(["sh", "-c", "s=\(start); [ $s -lt 0 ] && s=0; tail -c +$((s+1)) \(ShellLine.quoted(path)) | head -c \(max(0, size))"])
    }

    /// A job script that exports `job.environment` and runs the executable.
    static func script(for job: JobDescription, directives: [String] = []) -> String {
        var lines = ["#!/bin/sh"] + directives
        for (name, value) in job.environment.sorted(by: { $0.key < $1.key }) {
            lines.append("export \(name)=\(ShellLine.quoted(value))")
        }
        lines.append("exec " + ([job.executable] + job.arguments).map(ShellLine.quoted).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds since 1970 for a local `YYYY-MM-DDTHH:MM:SS`; nil for anything else.
    static func time(_ text: String?) -> Double? {
        guard let text, text.count == 19 else { return nil }
        let numbers = text.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int32($0) }
        guard numbers.count == 6 else { return nil }
        return localTime(numbers)
    }

    /// Seconds since 1970 for a local `Sun Nov 22 06:10:25 2026` (ctime's shape).
    static func ctime(_ text: String?) -> Double? {
        let words = text?.split(separator: " ") ?? []
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard words.count == 5, let month = months.firstIndex(of: String(words[1])),
              let day = Int32(words[2]), let year = Int32(words[4]) else { return nil }
        let clock = words[3].split(separator: ":").compactMap { Int32($0) }
        guard clock.count == 3 else { return nil }
        return localTime([year, Int32(month + 1), day] + clock)
    }

    /// Year, month (1-12), day, hour, minute, second in local time, as seconds since 1970.
    private static func localTime(_ numbers: [Int32]) -> Double? {
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (numbers[0] - 1900, numbers[1] - 1, numbers[2])
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (numbers[3], numbers[4], numbers[5])
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return seconds < 0 ? nil : Double(seconds)
    }

    /// Whole minutes for a batch system's time limit (at least 1).
    static func minutes(_ value: Double) -> Int {
        max(1, Int(value.rounded(.up)))
    }
}
