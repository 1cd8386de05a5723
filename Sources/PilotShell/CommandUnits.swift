import PilotModel

/// Units made from a command line: `count` copies, each with TASK_NO=<its
/// number> in its environment (BigJob's convention for ensembles).
package enum CommandUnits {
    /// The descriptions; `command` is the executable and its arguments.
    package static func descriptions(_ command: [String], count: Int, shell: Bool, slots: Int = 1) -> [JSONValue] {
        let arguments = command.dropFirst().map { JSONValue.string($0) }
        return (0..<count).map { number in
            [
                "executable": .string(command.first ?? ""), "arguments": .array(arguments),
                "environment": ["TASK_NO": .int(Int64(number))], "shell": .bool(shell),
                "number_of_processes": .int(Int64(slots)),
            ]
        }
    }
}
