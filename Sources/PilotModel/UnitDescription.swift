/// How a unit's processes are started: one process, or an MPI job over its slots.
package enum SPMDVariation: String, Sendable, Codable {
    /// One process (the default).
    case single
    /// `mpirun -np N` with a machinefile of the unit's slots.
    case mpi
}

/// What a compute unit runs, validated. Built from the contract's
/// ComputeUnitDescription keys; unknown keys are kept in `extra`.
package struct UnitDescription: Sendable, Equatable {
    /// The program: a path, or a name looked up in PATH.
    package var executable: String
    /// The program's arguments (numbers in the description become text).
    package var arguments: [String]
    /// Variables added to the agent's environment for this unit.
    package var environment: [EnvironmentVariable]
    /// The directory the unit runs in; nil means its sandbox `<pilot sandbox>/sj-<uuid>/`.
    /// A relative path is relative to the pilot sandbox and holds no `..`;
    /// an absolute one, or one starting with `~` (the agent's home), is taken as written.
    package var workingDirectory: String?
    /// The file stdin reads from; nil means /dev/null. Like `output` and
    /// `error`: relative to the working directory and without `..`, or absolute.
    package var input: String?
    /// The file stdout goes to, relative to the working directory (no `..`), or absolute.
    package var output: String
    /// The file stderr goes to, relative to the working directory (no `..`), or absolute.
    package var error: String
    /// Slots (cores) the unit holds while it runs.
    package var processes: Int
    /// Single process or MPI.
    package var spmdVariation: SPMDVariation
    /// Run through `/bin/bash -c` with the arguments joined unquoted (BigJob's
    /// semantics: `$VAR`, `~` and globs expand). False runs argv directly.
    package var shell: Bool
    /// The run time the user expects, in seconds (`duration`); nil when not declared.
    /// Emulated benchmark agents sleep this long instead of running the unit.
    package var duration: Double?
    /// The longest the unit may run, in seconds (`wall_time_limit`, given in
    /// minutes; fractions allowed); nil: no limit. Past it the unit is
    /// killed and ends Failed with reason "timeout ...".
    package var timeLimit: Double?
    /// Whether the unit may run again elsewhere when its pilot is lost or
    /// ends before the unit finished (`restartable`, default false): it may
    /// then run twice, so only side-effect-free or idempotent units should say so.
    package var restartable: Bool
    /// Placement labels matched by early binding with affinity.
    package var affinityDatacenterLabel: String?
    /// Placement labels matched by early binding with affinity.
    package var affinityMachineLabel: String?
    /// Files staged into the working directory before the run and out of it after.
    package var staging: UnitStaging
    /// Data units whose files are put into the working directory before the run (`input_data`).
    package var inputData: [String]
    /// Data units that take the files matching patterns after the run (`output_data`).
    package var outputData: [DataOutput]
    /// Keys the core does not interpret, kept as given.
    package var extra: [String: JSONValue]

    /// The largest unit the model accepts, in slots.
    package static let maximumProcesses = 1 << 20
    /// The most bytes a unit's executable, arguments and environment may
    /// take together: far above what exec accepts, far below a link frame.
    package static let maximumCarried = 8 << 20

    /// Validates a ComputeUnitDescription given as JSON value.
    package init(json: JSONValue) throws(PilotError) {
        var reader = try DescriptionReader(json, what: "compute unit description")
        executable = try reader.requiredString("executable", hint: "the program to run, e.g. \"/bin/echo\"")
        if executable.contains("\0") { throw reader.failure("executable", "must not contain NUL bytes") }
        arguments = try reader.textList("arguments")
        if arguments.contains(where: { $0.contains("\0") }) { throw reader.failure("arguments", "must not contain NUL bytes") }
        environment = try reader.environment("environment")
        workingDirectory = try reader.path("working_directory", inside: "the pilot's sandbox", homeIsAbsolute: true)
        input = try reader.path("input", inside: "the unit's working directory")
        output = try reader.path("output", inside: "the unit's working directory") ?? "stdout"
        error = try reader.path("error", inside: "the unit's working directory") ?? "stderr"
        processes = try reader.integer("number_of_processes", in: 1...Self.maximumProcesses) ?? 1
        let variation = try reader.string("spmd_variation")?.lowercased() ?? "single"
        switch variation {
        case "", "single": spmdVariation = .single
        case "mpi": spmdVariation = .mpi
        default: throw reader.failure("spmd_variation", "must be 'single' or 'mpi', got \(quoted(variation))")
        }
        shell = try reader.bool("shell") ?? false
        // A program's path is no longer than a path can be (a shell line may be).
        if !shell, executable.utf8.count >= DescriptionReader.longestPath {
            throw reader.failure("executable", DescriptionReader.tooLong(executable))
        }
        let carried = executable.utf8.count + arguments.reduce(0) { $0 + $1.utf8.count }
            + environment.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        if carried > Self.maximumCarried {
            throw reader.failure("arguments", "with the executable and the environment they take \(carried) bytes; a unit carries at most "
                                 + "\(Self.maximumCarried >> 20) MiB (exec itself takes about 2 MiB on Linux): pass large data in a file")
        }
        duration = try reader.positiveNumber("duration")
        timeLimit = try reader.positiveNumber("wall_time_limit").map { $0 * 60 }
        restartable = try reader.bool("restartable") ?? false
        affinityDatacenterLabel = try reader.string("affinity_datacenter_label")
        affinityMachineLabel = try reader.string("affinity_machine_label")
        staging = try reader.unitStaging()
        (inputData, outputData) = try reader.unitData()
        extra = reader.unreadFields
    }

    /// The command line as the agent runs it: argv, or one shell line.
    package var command: Command {
        shell ? .shell(([executable] + arguments).joined(separator: " ")) : .argv([executable] + arguments)
    }
}

/// A unit's command, ready for the agent.
package enum Command: Sendable, Equatable, Codable {
    /// Run the program directly with these arguments (argv[0] is the program).
    case argv([String])
    /// Run this line with `/bin/bash -c`.
    case shell(String)
}
