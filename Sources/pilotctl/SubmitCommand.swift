import ArgumentParser
import Pilot
import PilotModel
import PilotShell

/// `pilotctl submit`: units from a file or the command line, into a served session.
struct SubmitCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit units to a served session; prints their ids, one per line.",
        discussion: """
            Either --file (a JSON or YAML list of unit descriptions, an object whose "units" is that list, or \
            one description; - reads standard input) or a command after --, run --count times with \
            TASK_NO=<its number> in its environment. Every description is checked before any is submitted.
            """)

    @OptionGroup var sessionArguments: SessionArguments

    @Option(name: [.short, .long], help: ArgumentHelp("A file of unit descriptions.", valueName: "path"))
    var file: String?

    @Option(help: "Copies of the command to submit.")
    var count = 1

    @Option(name: .customLong("slots"), help: "Slots each unit of the command holds.")
    var slotsPerUnit = 1

    @Flag(help: "Run the command through /bin/bash -c, so $TASK_NO expands.")
    var shell = false

    @Option(help: ArgumentHelp("The compute data service (default: the session's only one).", valueName: "id"))
    var service: String?

    @Option(help: ArgumentHelp("Submit to this pilot directly (early binding) instead.", valueName: "id"))
    var pilot: String?

    @Argument(parsing: .postTerminator, help: "The command and its arguments (after --).")
    var command: [String] = []

    func validate() throws {
        guard (file == nil) != command.isEmpty else {
            throw ValidationError("give either --file or a command after --")
        }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard slotsPerUnit >= 1 else { throw ValidationError("--slots must be at least 1") }
        guard service == nil || pilot == nil else { throw ValidationError("give --service or --pilot, not both") }
    }

    func run(in session: Session) throws {
        let descriptions = try file.map { path throws(PilotError) in try DescriptionFile.units(at: path) } 
            ?? CommandUnits.descriptions(command, count: count, shell: shell, slots: slotsPerUnit)
        let units: [ComputeUnit]
        if let pilot {
            units = try session.pilot(id: pilot).submit(many: descriptions)
        } else {
            units = try DefaultServices.computeService(service, in: session).submit(many: descriptions)
        }
        print(units.map(\.id).joined(separator: "\n"))
    }
}
