import PilotModel
import PilotSystem

/// The agent's log: timestamped lines on stderr, which the job layer points
/// at `stderr-bj-<uuid>-agent.txt` in the pilot's working directory.
struct AgentLog: Sendable {
    /// The pilot the lines are about.
    let pilotID: String

    func info(_ message: String) { write("info", message) }
    func error(_ message: String) { write("error", message) }

    private func write(_ level: String, _ message: String) {
        let line = "\(WallClock.now()) \(level) \(pilotID): \(message)\n"
        StandardStreams.error(line)
    }
}
