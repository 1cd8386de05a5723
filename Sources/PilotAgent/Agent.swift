import FoundationEssentials
import Glibc
import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotSystem

/// The pilot agent: owns a pilot's slots and runs its units. One process
/// per pilot, started by the job layer, linked back to the coordinator.
package enum Agent {
    /// A benchmark tool, never for real work: when this variable is `1` in
    /// the agent's environment, units run no process; each holds its slots
    /// for its declared `duration` and ends Done. It lets one machine drive
    /// the coordinator with thousands of emulated slots.
    package static let emulationVariable = "PILOT_BENCH_EMULATE_UNITS"

    /// Reads the bootstrap file (then deletes it, so the secret does not stay
    /// on disk), connects to the coordinator and runs until told to stop.
    /// Returns the process exit status.
    package static func run(bootstrapPath: String) -> Int32 {
        // It names the coordinator's socket and holds the pilot's secret:
        // one that someone else could have written or read is not used.
        if let problem = FileSystem.privateEntryProblem(bootstrapPath) {
            StandardStreams.error("pilot-agent: not using bootstrap file \(bootstrapPath): \(problem)\n")
            return 2
        }
        guard let text = FileSystem.read(bootstrapPath) else {
            StandardStreams.error("pilot-agent: cannot read bootstrap file \(bootstrapPath)\n")
            return 2
        }
        unlink(bootstrapPath)
        let bootstrap: AgentBootstrap
        do {
            bootstrap = try JSONDecoder().decode(AgentBootstrap.self, from: Data(text.utf8))
        } catch {
            StandardStreams.error("pilot-agent: bootstrap file \(bootstrapPath) is malformed: \(error)\n")
            return 2
        }
        let log = AgentLog(pilotID: bootstrap.pilotID)
        log.info("pilot-agent started on \(FileSystem.hostName()), pid \(getpid())")
        let targets: [LinkTarget]
        do {
            targets = try CoordinatorTargets.of(bootstrap, sshConnection: Environment.value("SSH_CONNECTION"))
        } catch {
            log.error("bootstrap file \(bootstrapPath): \(error.message)")
            return 2
        }
        if let problem = FileSystem.makeDirectories(bootstrap.sandbox) {
            log.error(problem)
            return 2
        }
        chdir(bootstrap.sandbox)
        guard let childSignal = ChildExits.descriptor(log: log) else { return 2 }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let eventLoop = group.next()
        let finish: @Sendable (Int32) -> Void = { status in _exit(status) }
        let first = eventLoop.flatSubmit {
            let runtime = AgentRuntime(bootstrap: bootstrap, targets: targets, log: log, eventLoop: eventLoop, childSignal: childSignal, finish: finish)
            runtime.start()
            return runtime.connect()
        }
        do {
            _ = try first.wait()
        } catch {
            let relay = bootstrap.relayProblem.map { "; no way through the login host: \($0)" } ?? ""
            log.error("cannot reach the coordinator at \(connectFailure(error))\(relay)")
            return 3
        }
        // The runtime exits the process once its units are gone; wait for it.
        while true { pause() }
    }
}
