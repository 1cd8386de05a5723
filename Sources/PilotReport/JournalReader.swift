import Glibc
import NIOCore
import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem
import SQLiteNIO

/// Reads a session's journal without changing it, also while a
/// `pilotctl serve` is still writing it.
package enum JournalReader {
    /// Reads the journal at `path`. One read transaction: the rows are one
    /// consistent moment of a journal that is being written.
    package static func read(_ path: String) throws(ReportError) -> SessionJournal {
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection.open(storage: .file(path: uri(path))).wait()
        } catch {
            throw ReportError("cannot open the journal \(path): \(error); check that it is a pilot session's journal.sqlite and readable")
        }
        defer { try? connection.close().wait() }
        do {
            _ = try connection.query("BEGIN").wait()
            defer { _ = try? connection.query("COMMIT").wait() }
            guard let sessionID = try connection.query("SELECT id FROM session ORDER BY created LIMIT 1").wait()
                .first?.column("id")?.string else {
                throw ReportError("the journal \(path) names no session; it is not a pilot session's journal")
            }
            let pilots = try connection.query("SELECT id, description FROM pilots ORDER BY rowid").wait().compactMap(pilot)
            // SELECT *: journals from before the staging columns lack them.
            let units = try connection.query("SELECT * FROM units ORDER BY submitted, rowid").wait().compactMap(unit)
            return SessionJournal(sessionID: sessionID, pilots: pilots, units: units)
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError("cannot read the journal \(path): \(error); check that it is a pilot session's journal.sqlite")
        }
    }

    /// An SQLite URI that opens `path` read-only. A journal without its
    /// write-ahead log has no writer (SQLite removes the log when the last
    /// connection closes): it is opened immutable, so that reading it
    /// makes no -wal and -shm files beside it.
    static func uri(_ path: String) -> String {
        var escaped = ""
        for character in path {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.append(character)
            }
        }
        return "file:\(escaped)?mode=ro" + (FileSystem.exists(path + "-wal") ? "" : "&immutable=1")
    }

    private static func pilot(_ row: SQLiteRow) -> SessionJournal.Pilot? {
        guard let id = row.column("id")?.string else { return nil }
        let description = row.column("description")?.blob.flatMap { try? JSONValue(wholeBuffer: $0) }
        var slots: Int?
        if case .object(let fields) = description, case .int(let count) = fields["number_of_processes"], count > 0 {
            slots = Int(exactly: count)
        }
        return SessionJournal.Pilot(id: id, slots: slots)
    }

    private static func unit(_ row: SQLiteRow) -> SessionJournal.Unit? {
        guard let id = row.column("id")?.string,
              let raw = row.column("state")?.integer, let state = State(rawValue: Int32(truncatingIfNeeded: raw)),
              let submitted = time(row, "submitted") else { return nil }
        var unit = SessionJournal.Unit(id: id, state: state, submitted: submitted)
        unit.pilotID = row.column("pilot_id")?.string
        unit.host = row.column("host")?.string
        unit.reason = row.column("reason")?.string
        unit.exitCode = row.column("exit_code")?.integer.map { Int32(truncatingIfNeeded: $0) }
        unit.bound = time(row, "bound")
        unit.started = time(row, "started")
        unit.finished = time(row, "finished")
        unit.stagedIn = time(row, "staging_input_seconds")
        unit.stagedOut = time(row, "staging_output_seconds")
        return unit
    }

    /// A REAL column as a finite number (SQLite can hold infinities).
    private static func time(_ row: SQLiteRow, _ column: String) -> Double? {
        guard let value = row.column(column)?.double, value.isFinite else { return nil }
        return value
    }
}
