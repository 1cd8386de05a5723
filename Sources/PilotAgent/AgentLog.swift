import PilotModel
import PilotSystem
import Synchronization

/// The agent's log: timestamped lines on stderr, which the job layer points
/// at `stderr-bj-<uuid>-agent.txt` in the pilot's working directory, and
/// the same lines kept for the coordinator, which writes them to the
/// pilot's log (`pilot-bj-<uuid>.log`) once the agent has linked.
struct AgentLog: Sendable {
    /// The pilot the lines are about.
    let pilotID: String
    /// Lines not yet sent to the coordinator.
    let unsent = LogBacklog()

    func info(_ message: String) { write(.info, message) }
    func error(_ message: String) { write(.error, message) }

    private func write(_ severity: AgentLogLine.Severity, _ message: String) {
        let time = WallClock.now()
        StandardStreams.error("\(time) \(severity == .error ? "error" : "info") \(pilotID): \(message)\n")
        unsent.add(AgentLogLine(time: time, severity: severity, message: message))
    }
}

/// Log lines waiting for the link, at most `capacity` (older ones are
/// dropped and counted, so an agent that never links cannot grow without bound).
final class LogBacklog: Sendable {
    static let capacity = 1000
    private let lines = Mutex<(kept: [AgentLogLine], dropped: Int)>(([], 0))

    func add(_ line: AgentLogLine) {
        lines.withLock { state in
            if state.kept.count >= Self.capacity {
                state.kept.removeFirst()
                state.dropped += 1
            }
            state.kept.append(line)
        }
    }

    /// Takes every waiting line (with one saying how many were dropped, if any).
    func take() -> [AgentLogLine] {
        lines.withLock { state in
            defer { state = ([], 0) }
            guard state.dropped > 0 else { return state.kept }
            let note = AgentLogLine(time: state.kept.first?.time ?? WallClock.now(), severity: .error,
                                    message: "\(state.dropped) earlier lines of this log were dropped before the agent linked")
            return [note] + state.kept
        }
    }
}
