/// What a pilot is, validated. Built from the contract's
/// PilotComputeDescription keys; unknown keys are kept in `extra`.
package struct PilotDescription: Sendable, Equatable {
    /// Where the pilot runs.
    package var serviceURL: ServiceURL
    /// Slots (cores) the pilot owns.
    package var processes: Int
    /// Cores per node, passed to batch systems.
    package var processesPerNode: Int?
    /// Absolute base directory; the pilot sandbox is `<workingDirectory>/bj-<uuid>/`.
    package var workingDirectory: String
    /// Wall time in minutes (`walltime` or `wall_time_limit`; default 60).
    package var wallTimeMinutes: Double
    /// Batch queue.
    package var queue: String?
    /// Batch account or project.
    package var project: String?
    /// SPMD variation of the pilot job itself (e.g. an SGE parallel environment).
    package var spmdVariation: String?
    /// Placement label matched by early binding with affinity.
    package var affinityDatacenterLabel: String?
    /// Placement label matched by early binding with affinity.
    package var affinityMachineLabel: String?
    /// How the agent starts units on the nodes of its allocation (`launch_method`).
    package var launchMethod: LaunchMethod
    /// Files staged into the pilot's sandbox before its agent starts (`file_transfer`: `"SRC > BIGJOB_WORK_DIR"`).
    package var staging: [StagingDirective]
    /// Keys the core does not interpret, kept as given.
    package var extra: [String: JSONValue]

    /// The largest pilot the model accepts, in slots.
    package static let maximumProcesses = 1 << 24

    /// Validates a PilotComputeDescription given as JSON value. Relative
    /// working directories resolve against `currentDirectory`; the default is `home`.
    package init(json: JSONValue, currentDirectory: String, home: String) throws(PilotError) {
        var reader = try DescriptionReader(json, what: "pilot compute description")
        let url = try reader.string("service_url", "resource_url")
        guard let url, !url.isEmpty else {
            throw PilotError(.invalidArgument, "pilot compute description needs 'service_url': where the pilot runs, e.g. \"fork://localhost\" (supported: \(ServiceURL.supportedList))")
        }
        serviceURL = try ServiceURL(url)
        guard let processes = try reader.integer("number_of_processes", in: 1...Self.maximumProcesses) else {
            throw PilotError(.invalidArgument, "pilot compute description needs 'number_of_processes': the pilot's slot count, e.g. 4")
        }
        self.processes = processes
        processesPerNode = try reader.integer("processes_per_node", in: 1...Self.maximumProcesses)
        let directory = try reader.string("working_directory") ?? home
        if directory.contains("\0") { throw reader.failure("working_directory", "must not contain NUL bytes") }
        if directory.utf8.count >= DescriptionReader.longestPath {
            throw reader.failure("working_directory", DescriptionReader.tooLong(directory))
        }
        workingDirectory = Path.absolute(directory.isEmpty ? home : directory, relativeTo: currentDirectory)
        wallTimeMinutes = try reader.positiveNumber("walltime", "wall_time_limit") ?? 60
        queue = try reader.string("queue")
        project = try reader.string("project")
        spmdVariation = try reader.string("spmd_variation")
        affinityDatacenterLabel = try reader.string("affinity_datacenter_label")
        affinityMachineLabel = try reader.string("affinity_machine_label")
        _ = try reader.integer("number_executor_threads", in: 0...Int(Int32.max))
        let method = try reader.string("launch_method")?.lowercased() ?? "auto"
        guard let launchMethod = LaunchMethod(rawValue: method) else {
            throw reader.failure("launch_method", "must be 'auto', 'srun' or 'ssh', got \(quoted(method))")
        }
        self.launchMethod = launchMethod
        staging = try reader.pilotStaging()
        extra = reader.unreadFields
    }
}

/// How an agent starts units on the nodes of its allocation.
package enum LaunchMethod: String, Sendable, Codable {
    /// Directly on the agent's own node; through `srun` on the other nodes
    /// of a SLURM allocation and through `ssh` on those of other managers.
    case auto
    /// Every unit through `srun` (one job step each, on its node).
    case srun
    /// Every unit through `ssh` to its node.
    case ssh
}

/// Path arithmetic on plain strings (no file system access).
package enum Path {
    /// `path` made absolute against `base`, with `.` and `..` folded.
    package static func absolute(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `name` resolved inside `directory` unless it is absolute.
    package static func inside(_ directory: String, _ name: String) -> String {
        name.hasPrefix("/") ? name : directory + "/" + name
    }
}
