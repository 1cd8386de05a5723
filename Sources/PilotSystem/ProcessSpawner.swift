import CPilotSystem
import Glibc

/// What a process to start looks like at the system level.
package struct SpawnRequest: Sendable {
    /// argv; argv[0] is the program (looked up in PATH when it has no `/`).
    package var arguments: [String]
    /// The complete environment as `NAME=value` strings.
    package var environment: [String]
    /// The directory the process starts in (nil: inherit).
    package var workingDirectory: String?
    /// stdin file (nil: /dev/null).
    package var input: String?
    /// stdout file, created or truncated.
    package var output: String
    /// stderr file, created or truncated.
    package var error: String
    /// Signals reset to their default action in the child.
    package var signalDefaults: SignalDefaults
    /// Descriptors that become the child's stdin and stdout instead of
    /// `input` and `output` (pipes to a process the caller talks to); its
    /// stderr is then `error`, or the caller's when `error` is empty.
    package var pipes: (input: Int32, output: Int32)?

    /// Creates a request.
    package init(arguments: [String], environment: [String], workingDirectory: String?,
                input: String?, output: String, error: String, signalDefaults: SignalDefaults = .all) {
        self.signalDefaults = signalDefaults
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.input = input
        self.output = output
        self.error = error
    }
}

/// Starts processes with posix_spawn, each in a new process group (so the
/// whole tree can be signalled), with default signal dispositions, an
/// empty signal mask and only descriptors 0-2, whatever the parent has.
package enum ProcessSpawner {
    /// The first of `request`'s files that is a named pipe. posix_spawn opens
    /// them in the child while the parent waits (vfork), so a pipe without
    /// a reader or writer would stop the parent (an agent's loop) until one came.
    private static func namedPipe(in request: SpawnRequest) -> String? {
        [request.input, request.output, request.error].compactMap { $0 }.first { path in
            guard !path.isEmpty else { return false }
            let full = path.hasPrefix("/") ? path : (request.workingDirectory ?? ".") + "/" + path
            var status = stat()
            return stat(full, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO
        }
    }

    /// Starts the process; returns its pid, or the reason it could not start.
    package static func spawn(_ request: SpawnRequest) -> Result<pid_t, SpawnFailure> {
        guard let program = request.arguments.first, !program.isEmpty else {
            return .failure(SpawnFailure("no program to run"))
        }
        if let pipe = namedPipe(in: request) {
            return .failure(SpawnFailure("\(pipe) is a named pipe: opening it would stop the caller until another process opened its other end; give a regular file"))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory = request.workingDirectory {
            cpilot_spawn_file_actions_addchdir(&actions, directory)
        }
        if let pipes = request.pipes {
            posix_spawn_file_actions_adddup2(&actions, pipes.input, 0)
            posix_spawn_file_actions_adddup2(&actions, pipes.output, 1)
            if !request.error.isEmpty {
                posix_spawn_file_actions_addopen(&actions, 2, request.error, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            }
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, request.input ?? "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, request.output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if request.error == request.output {
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            } else {
                posix_spawn_file_actions_addopen(&actions, 2, request.error, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            }
        }
        // The child gets stdin, stdout and stderr and nothing else: not the
        // coordinator's sockets, not the host program's files, whether or
        // not whoever opened them asked for close-on-exec (SwiftNIO does not).
        cpilot_spawn_file_actions_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = request.signalDefaults.signals
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = CStringArray(request.arguments)
        let envp = CStringArray(request.environment)
        defer {
            argv.free()
            envp.free()
        }
        var pid = pid_t()
        let status = argv.pointers.withUnsafeBufferPointer { argvBuffer in
            envp.pointers.withUnsafeBufferPointer { envpBuffer in
                guard let argvPointer = argvBuffer.baseAddress, let envpPointer = envpBuffer.baseAddress else {
                    return EINVAL
                }
                return program.contains("/")
                    ? posix_spawn(&pid, program, &actions, &attributes, argvPointer, envpPointer)
                    : posix_spawnp(&pid, program, &actions, &attributes, argvPointer, envpPointer)
            }
        }
        guard status == 0 else { return .failure(diagnose(status, request)) }
        return .success(pid)
    }

    /// posix_spawn reports one errno for the exec and every file action; say
    /// which part failed by looking again, only on this slow path.
    private static func diagnose(_ code: Int32, _ request: SpawnRequest) -> SpawnFailure {
        let program = request.arguments.first ?? ""
        let reason = FileSystem.errorText(code)
        if let directory = request.workingDirectory, !FileSystem.isDirectory(directory) {
            return SpawnFailure("cannot enter working directory \(directory): \(reason)")
        }
        let base = request.workingDirectory ?? "."
        if let input = request.input, !FileSystem.exists(input.hasPrefix("/") ? input : base + "/" + input) {
            return SpawnFailure("cannot open input file \(input): \(reason)")
        }
        for file in [request.output, request.error] {
            let path = file.hasPrefix("/") ? file : base + "/" + file
            if !FileSystem.isDirectory(FileSystem.parentDirectory(path)) {
                return SpawnFailure("cannot create output file \(file): \(reason)")
            }
        }
        if code == ENOENT {
            return SpawnFailure("executable not found: \(program) (\(reason))")
        }
        return SpawnFailure("cannot start \(program): \(reason)")
    }

    /// Sends `signal` to the process group `group`; false if none exists.
    @discardableResult
    package static func signalGroup(_ group: pid_t, _ signal: Int32) -> Bool {
        group > 0 && kill(-group, signal) == 0
    }
}

/// The signals a child gets back at their default action. Exec itself
/// resets caught signals; only ignored ones survive it, and glibc resets
/// each listed signal with one system call in the child, so a short list
/// makes spawning cheaper.
package struct SignalDefaults: @unchecked Sendable {
    // sigset_t is a plain C value with no pointers; copies are independent.
    fileprivate var signals = sigset_t()

    /// Every signal but SIGKILL and SIGSTOP: right whatever the parent did.
    package static let all: SignalDefaults = {
        var defaults = SignalDefaults()
        sigfillset(&defaults.signals)
        sigdelset(&defaults.signals, SIGKILL)
        sigdelset(&defaults.signals, SIGSTOP)
        return defaults
    }()

    /// The signals this process ignores now, read once, and SIGPIPE, which
    /// SwiftNIO ignores when it opens its first pipe channel (that may come
    /// later): right for a process that changes no other disposition (the
    /// agent, a node worker).
    package static func ignoredNow() -> SignalDefaults {
        var defaults = SignalDefaults()
        sigemptyset(&defaults.signals)
        sigaddset(&defaults.signals, SIGPIPE)
        for signal in 1..<Int32(65) where cpilot_signal_is_ignored(signal) == 1 {
            sigaddset(&defaults.signals, signal)
        }
        return defaults
    }
}

/// Why a process could not be started.
package struct SpawnFailure: Error, Sendable {
    /// A sentence naming what failed.
    package let reason: String

    /// Creates a failure with its reason.
    package init(_ reason: String) { self.reason = reason }
}

/// A NULL-terminated array of C strings for argv/envp, freed explicitly.
private struct CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    func free() {
        for pointer in pointers { Glibc.free(pointer) }
    }
}

/// How a waited-for process ended, decoded from a wait status.
package enum ExitStatus: Sendable, Equatable {
    /// Exited with this code.
    case exited(Int32)
    /// Killed by this signal.
    case signaled(Int32)

    /// Decodes a raw `wait` status.
    package init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

extension ExitStatus: CustomStringConvertible {
    /// "exited with status 3", "killed by signal 9".
    package var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}
