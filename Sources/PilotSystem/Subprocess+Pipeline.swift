import Glibc

extension Subprocess {
    /// Runs `producer | consumer` to the end: bytes stream from one to the
    /// other through a pipe, never through this process's memory. Blocks
    /// until both exit, or kills both after `timeout` seconds (a failure
    /// that says so). Their stderr is captured; the consumer's stdout too.
    package static func pipeline(_ producer: [String], into consumer: [String], environment: [String] = [],
                                 timeout: Double) -> Result<(producer: SubprocessResult, consumer: SubprocessResult), SpawnFailure> {
        guard let directory = FileSystem.makeTemporaryDirectory(prefix: "pilot-pipe") else { return .failure(SpawnFailure("cannot make a temporary directory: \(FileSystem.errorText(errno))")) }
        defer { FileSystem.removeTree(directory) }
        let nothing = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let output = open(directory + "/stdout", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            if nothing >= 0 { close(nothing) }
            if output >= 0 { close(output) }
        }
        guard nothing >= 0, output >= 0 else { return .failure(SpawnFailure("cannot open a pipeline's files: \(FileSystem.errorText(errno))")) }
        let pipe: (read: Int32, write: Int32)
        switch ProcessSpawner.makePipe() {
        case .success(let made): pipe = made
        case .failure(let failure): return .failure(failure)
        }
        let variables = Environment.current() + environment
        var first = SpawnRequest(arguments: producer, environment: variables, workingDirectory: nil,
                                 input: nil, output: "", error: directory + "/producer.err")
        first.pipes = (nothing, pipe.write)
        var second = SpawnRequest(arguments: consumer, environment: variables, workingDirectory: nil,
                                  input: nil, output: "", error: directory + "/consumer.err")
        second.pipes = (pipe.read, output)
        let producerPID = ProcessSpawner.spawn(first)
        close(pipe.write)
        let consumerPID = ProcessSpawner.spawn(second)
        close(pipe.read)
        let watchdog = Watchdog(seconds: timeout, groups: [producerPID, consumerPID].compactMap { try? $0.get() })
        let producerStatus = producerPID.map(waitFor)
        let consumerStatus = consumerPID.map(waitFor)
        if watchdog.stop() {
            return .failure(SpawnFailure("\(producer.first ?? "") | \(consumer.first ?? "") did not finish within \(Int(timeout)) s and was killed"))
        }
        switch (producerStatus, consumerStatus) {
        case (.failure(let failure), _), (_, .failure(let failure)):
            return .failure(failure)
        case (.success(let producerEnd), .success(let consumerEnd)):
            return .success((
                SubprocessResult(status: producerEnd, output: "", error: FileSystem.read(directory + "/producer.err") ?? ""),
                SubprocessResult(status: consumerEnd, output: FileSystem.read(directory + "/stdout") ?? "",
                                 error: FileSystem.read(directory + "/consumer.err") ?? "")))
        }
    }

    /// Waits for child `pid` to end (this process must not reap children elsewhere).
    private static func waitFor(_ pid: pid_t) -> ExitStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            // Only EINTR can happen for a child of ours; anything else means it is gone.
            guard errno == EINTR else { return .exited(127) }
        }
        return ExitStatus(waitStatus: status)
    }
}
