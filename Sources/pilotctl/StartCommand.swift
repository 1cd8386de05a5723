import ArgumentParser
import Pilot
import PilotShell

/// `pilotctl start`: creates a pilot in a served session.
struct StartCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a pilot in a served session; prints its id.",
        discussion: """
            The pilot joins the session's pilot compute service (one is made if there is none), and that \
            service is added to the session's compute data service, so `pilotctl submit` reaches it.
            """)

    @OptionGroup var sessionArguments: SessionArguments

    @Argument(help: "Where the pilot runs: fork://localhost, ssh://host, slurm://localhost, sge://localhost, ...")
    var serviceURL = "fork://localhost"

    @Option(help: "Slots (cores) of the pilot.")
    var slots = 4

    @Option(help: "Base directory of the pilot's sandbox.")
    var workingDirectory: String?

    @Option(name: .customLong("file"), help: ArgumentHelp("A pilot description (JSON or YAML) instead of the options above.", valueName: "path"))
    var descriptionFile: String?

    @Option(help: ArgumentHelp("The pilot compute service to create it in (default: the session's only one).", valueName: "id"))
    var pilotService: String?

    @Option(help: ArgumentHelp("The compute data service to add that service to (default: the session's only one).", valueName: "id"))
    var service: String?

    @Flag(help: "Return once the pilot runs (or has failed), not as soon as it is submitted.")
    var wait = false

    func validate() throws {
        guard slots >= 1 else { throw ValidationError("--slots must be at least 1") }
    }

    func run(in session: Session) throws {
        let description = try descriptionFile.map { path throws(PilotError) in try DescriptionFile.read(path) }
            ?? .object(["service_url": .string(serviceURL), "number_of_processes": .int(Int64(slots))]
                .merging(workingDirectory.map { ["working_directory": .string($0)] } ?? [:]) { $1 })
        let pilots = try DefaultServices.pilotService(pilotService, in: session)
        try DefaultServices.attach(pilots, to: DefaultServices.computeService(service, in: session))
        let pilot = try pilots.createPilot(description)
        if wait, try pilot.waitUntilStarted() != .running {
            throw CommandFailure(PilotError(.backend, "pilot \(pilot.id) did not start: \(try pilot.details().reason ?? "no reason given")"))
        }
        print(pilot.id)
    }
}
