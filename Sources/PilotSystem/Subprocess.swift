import Glibc

/// What a finished command printed and how it ended.
package struct SubprocessResult: Sendable, Equatable {
    /// How it ended.
    package var status: ExitStatus
    /// Its standard output.
    package var output: String
    /// Its standard error.
    package var error: String

    /// True when it exited with status 0.
    package var succeeded: Bool { status == .exited(0) }

    /// Its stderr, else its stdout, trimmed: the message to show a user.
    package var message: String {
        let text = error.isEmpty ? output : error
        return String(text.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// Runs external commands (batch managers' `sbatch`, `qstat`, ...) to the
/// end, with their output captured through files in a private directory.
package enum Subprocess {
    /// Seconds a command may take before it is killed (a batch system or an
    /// ssh host that does not answer must not hang the caller).
    package static let defaultTimeout = 60.0

    /// Runs `arguments` (argv[0] looked up in PATH) with `input` on stdin and
    /// the current environment plus `environment`, in `workingDirectory`
    /// (nil: this process's); blocks until it exits, or kills its process
    /// group after `timeout` seconds (a failure).
    package static func run(_ arguments: [String], input: String? = nil, environment: [String] = [],
                           workingDirectory: String? = nil, timeout: Double = defaultTimeout) -> Result<SubprocessResult, SpawnFailure> {
        guard let directory = FileSystem.makeTemporaryDirectory(prefix: "pilot-command") else { return .failure(SpawnFailure("cannot make a temporary directory: \(FileSystem.errorText(errno))")) }
        defer { FileSystem.removeTree(directory) }
        let inputPath = directory + "/stdin"
        if let problem = FileSystem.write(input ?? "", to: inputPath, mode: 0o600) { return .failure(SpawnFailure(problem)) }
        let request = SpawnRequest(
            arguments: arguments, environment: Environment.current() + environment, workingDirectory: workingDirectory,
            input: inputPath, output: directory + "/stdout", error: directory + "/stderr")
        let pid: pid_t
        switch ProcessSpawner.spawn(request) {
        case .success(let started): pid = started
        case .failure(let failure): return .failure(failure)
        }
        let watchdog = Watchdog(seconds: timeout, groups: [pid])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                _ = watchdog.stop()
                return .failure(SpawnFailure("cannot wait for \(arguments.first ?? ""): \(FileSystem.errorText(errno))"))
            }
        }
        if watchdog.stop() {
            return .failure(SpawnFailure("\(arguments.first ?? "") did not finish within \(timeout) s and was killed"))
        }
        return .success(SubprocessResult(
            status: ExitStatus(waitStatus: status), output: FileSystem.read(directory + "/stdout") ?? "",
            error: FileSystem.read(directory + "/stderr") ?? ""))
    }
}
