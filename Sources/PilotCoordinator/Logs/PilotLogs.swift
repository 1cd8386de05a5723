import Logging
import PilotModel
import PilotSystem
import Synchronization

/// One log per pilot: `pilot-<id>.log` in the pilot's working directory on
/// the coordinator's side, beside its agent's stderr. It holds the agent's
/// own lines (sent over its link), the pilot's state changes, and every
/// Failed unit of the pilot with its reason, as logfmt lines. What is
/// written is set by `PILOT_LOG_LEVEL` (trace, debug, info, notice,
/// warning, error, critical; default info); past `PILOT_LOG_MAX_BYTES`
/// (default 10 MiB) the file is rotated, keeping 3 old ones.
final class PilotLogs: Sendable {
    /// The variable that sets the level.
    static let levelVariable = "PILOT_LOG_LEVEL"
    /// The variable that sets the size at which a log is rotated.
    static let sizeVariable = "PILOT_LOG_MAX_BYTES"
    /// Old files kept by rotation.
    static let keptFiles = 3

    /// The least severe level written.
    let level: Logger.Level
    /// The size at which a log is rotated.
    let limit: Int
    /// Appends are serialized here (they are few: state changes, failures, agent lines).
    private let writing = Mutex(())

    /// Reads the level and size from the environment; a value that is not
    /// one falls back to the default.
    init(level: String? = Environment.value(PilotLogs.levelVariable), size: String? = Environment.value(PilotLogs.sizeVariable)) {
        self.level = level.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        self.limit = size.flatMap(Int.init).map { max($0, 1024) } ?? 10 << 20
    }

    /// The log of pilot `pilotID` whose working directory is `directory`.
    static func path(pilotID: String, workingDirectory directory: String) -> String {
        "\(directory)/pilot-\(pilotID).log"
    }

    /// Writes `entries`, each to its pilot's log, if its level is wanted:
    /// one append per pilot, however many lines it gets.
    func write(_ entries: [PilotLogEntry]) {
        let wanted = entries.filter { $0.level >= level }
        guard !wanted.isEmpty else { return }
        var pilots: [String] = []
        var byPilot: [String: [PilotLogEntry]] = [:]
        for entry in wanted {
            if byPilot[entry.pilotID] == nil { pilots.append(entry.pilotID) }
            byPilot[entry.pilotID, default: []].append(entry)
        }
        writing.withLock { _ in
            for pilotID in pilots {
                guard let group = byPilot[pilotID], let directory = group.first?.directory else { continue }
                let lines = LogLines()
                var logger = Logger(label: "pilot") { _ in PilotLogHandler(lines: lines, logLevel: .trace) }
                logger[metadataKey: "pilot"] = .string(pilotID)
                for entry in group { logger.log(level: entry.level, "\(entry.message)", metadata: entry.metadata) }
                RotatingFile(path: Self.path(pilotID: pilotID, workingDirectory: directory), limit: limit, kept: Self.keptFiles)
                    .append(lines.text)
            }
        }
    }
}

/// One line for a pilot's log, gathered under the registry's lock and
/// written after it is released.
struct PilotLogEntry: Sendable {
    let pilotID: String
    /// The pilot's working directory (where its log is).
    let directory: String
    let level: Logger.Level
    let message: String
    /// More fields: `unit`, `source` (coordinator or agent), `time` (seconds since 1970).
    var metadata: Logger.Metadata = [:]
}
