import PilotModel

extension JobDescription {
    /// Reads a job description from JSON (the C and Python faces): keys
    /// `executable` (required), `arguments`, `environment` (object or list
    /// of `NAME=value`), `working_directory`, `output`, `error`,
    /// `number_of_processes` (alias `slots`), `nodes`, `wall_time` (minutes,
    /// alias `walltime`), `queue`, `project`, `name`, `tolerate_node_failure`, `held`. An unknown key is an
    /// error: a typo must not quietly change where a job runs.
    package init(json: JSONValue) throws(PilotError) {
        var reader = try DescriptionReader(json, what: "job description")
        self.init(executable: try reader.requiredString("executable", hint: "the program to run, e.g. \"/bin/date\""))
        arguments = try reader.textList("arguments")
        for variable in try reader.environment("environment") { environment[variable.name] = variable.value }
        workingDirectory = try reader.string("working_directory")
        output = try reader.string("output")
        error = try reader.string("error")
        slots = try reader.integer("number_of_processes", "slots", in: 1...PilotDescription.maximumProcesses) ?? 1
        nodes = try reader.integer("nodes", in: 1...PilotDescription.maximumProcesses)
        wallTimeMinutes = try reader.positiveNumber("wall_time", "walltime")
        queue = try reader.string("queue")
        project = try reader.string("project")
        name = try reader.string("name")
        toleratesNodeFailure = try reader.bool("tolerate_node_failure") ?? false
        held = try reader.bool("held") ?? false
        if let unknown = reader.unreadFields.keys.sorted().first {
            throw PilotError(.invalidArgument, "job description key \(quoted(unknown)) is unknown; known keys: arguments, environment, error, executable, held, name, nodes, number_of_processes, output, project, queue, tolerate_node_failure, wall_time, working_directory")
        }
    }
}
