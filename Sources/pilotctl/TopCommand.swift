import ArgumentParser
import Glibc
import Pilot
import PilotModel
import PilotShell
import PilotSystem

/// `pilotctl top`: a live view of a served session.
struct TopCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Show a served session live: unit counts, the rate units finish at, each pilot's slots in use.",
        discussion: "Redraws every --interval seconds until interrupted (Ctrl-C); --once prints one view and exits.")

    @OptionGroup var sessionArguments: SessionArguments

    @Option(help: "Seconds between views.")
    var interval = 1.0

    @Flag(help: "Print one view and exit.")
    var once = false

    func validate() throws {
        guard interval >= 0.1, interval <= 3600 else { throw ValidationError("--interval must be from 0.1 to 3600 seconds") }
    }

    func run(in session: Session) throws {
        let terminal = isatty(1) == 1
        var previous: (final: Int, time: Double)?
        while true {
            let overview = try session.overview()
            let now = WallClock.monotonic()
            let final = overview.count(.done) + overview.count(.failed) + overview.count(.canceled)
            let rate = previous.map { Double(final - $0.final) / max(now - $0.time, 1e-3) }
            var view = "session \(session.id): \(Listings.counts(overview.unitCounts))"
            if let rate { view += ", \(Int(rate.rounded())) units/s finishing" }
            let slots = overview.pilots.filter { !$0.state.isFinal }.reduce((used: 0, all: 0)) {
                ($0.used + $1.slots - $1.freeSlots, $0.all + $1.slots)
            }
            view += "\nslots: \(slots.used) of \(slots.all) in use; queue: \(overview.count(.new) + overview.count(.pending)) units\n"
            view += Listings.pilots(overview.pilots) + "\n"
            StandardStreams.output((terminal ? "\u{1B}[H\u{1B}[2J" : "") + view)
            if once { return }
            previous = (final, now)
            Sleep.seconds(interval)
        }
    }
}
