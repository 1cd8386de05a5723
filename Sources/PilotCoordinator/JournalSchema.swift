import FoundationEssentials
import NIOCore
import PilotLink
import PilotModel
import SQLiteNIO

/// The journal's tables, and the statements that write and read them.
/// Descriptions are stored in the link's binary JSON encoding (exact and
/// quick to write); everything else is a plain column, so `sqlite3
/// journal.sqlite 'SELECT state, count(*) FROM units GROUP BY state'` works.
enum JournalSchema {
    static let statements = [
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        // Fold the write-ahead log into the database every 128 pages (512 KB;
        // SQLite's default is 4 MB), so a journal keeps working on a small
        // or nearly full file system and recovers once space is back.
        "PRAGMA wal_autocheckpoint=128",
        "CREATE TABLE IF NOT EXISTS session(id TEXT PRIMARY KEY, created REAL)",
        "CREATE TABLE IF NOT EXISTS pilot_services(id TEXT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS compute_services(id TEXT PRIMARY KEY, binding INTEGER, canceled INTEGER)",
        "CREATE TABLE IF NOT EXISTS service_links(pilot_service TEXT, compute_service TEXT, PRIMARY KEY(pilot_service, compute_service))",
        """
        CREATE TABLE IF NOT EXISTS pilots(id TEXT PRIMARY KEY, service_id TEXT, description BLOB, token TEXT,
            state INTEGER, reason TEXT, native_id TEXT, host TEXT, created REAL, started REAL, finished REAL)
        """,
        """
        CREATE TABLE IF NOT EXISTS units(id TEXT PRIMARY KEY, service_id TEXT, assigned_pilot_id TEXT, pilot_id TEXT,
            description BLOB, state INTEGER, reason TEXT, exit_code INTEGER, signal INTEGER, pid INTEGER, host TEXT,
            working_directory TEXT, submitted REAL, bound REAL, started REAL, finished REAL,
            staging_input_seconds REAL, staging_output_seconds REAL)
        """,
        // Pilot-Data objects: few and small, each stored whole as JSON text.
        "CREATE TABLE IF NOT EXISTS data_objects(id TEXT PRIMARY KEY, record TEXT)",
    ]

    /// The statements that add to an older `units` table, whose columns are
    /// `existing`, the columns it lacks (nullable: its rows keep their values).
    static func migrations(existing: Set<String>) -> [String] {
        addedUnitColumns.filter { !existing.contains($0.name) }.map { "ALTER TABLE units ADD COLUMN \($0.name) \($0.type)" }
    }

    /// A statement with its values.
    struct Statement {
        var sql: String
        var binds: [SQLiteData]
    }

    private static let unitColumns = [
        "id", "service_id", "assigned_pilot_id", "pilot_id", "description", "state", "reason", "exit_code", "signal",
        "pid", "host", "working_directory", "submitted", "bound", "started", "finished",
        "staging_input_seconds", "staging_output_seconds",
    ]
    /// Columns of `units` that journals made before them lack; opening one adds them.
    private static let addedUnitColumns = [(name: "staging_input_seconds", type: "REAL"), (name: "staging_output_seconds", type: "REAL")]
    private static let pilotColumns = [
        "id", "service_id", "description", "token", "state", "reason", "native_id", "host", "created", "started", "finished",
    ]
    /// Rows per INSERT, under SQLite's limit of 32,766 values per statement.
    private static let rowsPerStatement = 1000

    /// The statements that write `batch`.
    static func writes(_ batch: JournalBatch, allocator: ByteBufferAllocator) -> [Statement] {
        var statements: [Statement] = []
        for id in batch.pilotServices {
            statements.append(Statement(sql: "INSERT OR IGNORE INTO pilot_services(id) VALUES (?)", binds: [.text(id)]))
        }
        for service in batch.computeServices {
            statements.append(Statement(
                sql: "INSERT OR REPLACE INTO compute_services(id, binding, canceled) VALUES (?, ?, ?)",
                binds: [.text(service.id), .integer(Int(service.binding.rawValue)), .integer(service.canceled ? 1 : 0)]))
        }
        for link in batch.links {
            statements.append(Statement(
                sql: link.linked
                    ? "INSERT OR IGNORE INTO service_links(pilot_service, compute_service) VALUES (?, ?)"
                    : "DELETE FROM service_links WHERE pilot_service = ? AND compute_service = ?",
                binds: [.text(link.pilotService), .text(link.computeService)]))
        }
        statements += upserts(table: "pilots", columns: pilotColumns, keep: ["description", "token", "created"],
                              rows: batch.pilots.map { pilotValues($0, allocator) })
        statements += upserts(table: "units", columns: unitColumns, keep: ["description", "submitted"],
                              rows: batch.units.map { unitValues($0, allocator) })
        for record in batch.dataObjects {
            statements.append(Statement(sql: "INSERT OR REPLACE INTO data_objects(id, record) VALUES (?, ?)",
                                        binds: [.text(record.id), .text(JSONText.render(record))]))
        }
        return statements
    }

    /// Multi-row `INSERT ... ON CONFLICT(id) DO UPDATE` statements; the
    /// `keep` columns are written on insert only.
    private static func upserts(table: String, columns: [String], keep: Set<String>, rows: [[SQLiteData]]) -> [Statement] {
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let updates = columns.filter { $0 != "id" && !keep.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        var statements: [Statement] = []
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            statements.append(Statement(
                sql: "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: placeholders, count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT(id) DO UPDATE SET \(updates)",
                binds: chunk.flatMap { $0 }))
            start += rowsPerStatement
        }
        return statements
    }

    private static func pilotValues(_ row: PilotRow, _ allocator: ByteBufferAllocator) -> [SQLiteData] {
        [.text(row.id), .text(row.serviceID), blob(row.description, allocator), .text(row.token),
         .integer(Int(row.state.rawValue)), text(row.reason), text(row.nativeID), text(row.host),
         .float(row.created), real(row.started), real(row.finished)]
    }

    private static func unitValues(_ row: UnitRow, _ allocator: ByteBufferAllocator) -> [SQLiteData] {
        [.text(row.id), text(row.serviceID), text(row.assignedPilotID), text(row.pilotID),
         row.description.map { blob($0, allocator) } ?? .null, .integer(Int(row.state.rawValue)), text(row.reason),
         integer(row.exitCode), integer(row.signal), integer(row.pid), text(row.host), text(row.workingDirectory),
         .float(row.submitted), real(row.bound), real(row.started), real(row.finished),
         real(row.stagedIn), real(row.stagedOut)]
    }

    private static func blob(_ value: JSONValue, _ allocator: ByteBufferAllocator) -> SQLiteData {
        var writer = WireWriter(allocator.buffer(capacity: 128))
        value.write(to: &writer)
        return .blob(writer.buffer)
    }

    private static func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
    private static func real(_ value: Double?) -> SQLiteData { value.map { .float($0) } ?? .null }
    private static func integer(_ value: Int32?) -> SQLiteData { value.map { .integer(Int($0)) } ?? .null }

    // MARK: Reading

    /// Reads a whole journal back.
    static func read(from connection: SQLiteConnection) throws -> JournalContents {
        guard let sessionID = try connection.query("SELECT id FROM session ORDER BY created LIMIT 1").wait().first?.column("id")?.string else {
            throw PilotError(.backend, "the journal names no session")
        }
        var contents = JournalContents(sessionID: sessionID)
        contents.pilotServices = try connection.query("SELECT id FROM pilot_services ORDER BY rowid").wait()
            .compactMap { $0.column("id")?.string }
        contents.computeServices = try connection.query("SELECT id, binding, canceled FROM compute_services ORDER BY rowid").wait()
            .compactMap { row in
                guard let id = row.column("id")?.string,
                      let binding = row.column("binding")?.integer.flatMap({ Binding(rawValue: Int32($0)) }) else { return nil }
                return ComputeServiceRow(id: id, binding: binding, canceled: row.column("canceled")?.integer == 1)
            }
        contents.links = try connection.query("SELECT pilot_service, compute_service FROM service_links ORDER BY rowid").wait()
            .compactMap { row in
                guard let pcs = row.column("pilot_service")?.string, let cds = row.column("compute_service")?.string else { return nil }
                return (pcs, cds)
            }
        contents.pilots = try connection.query("SELECT * FROM pilots ORDER BY rowid").wait().map(pilotRow)
        contents.units = try connection.query("SELECT * FROM units ORDER BY submitted, rowid").wait().map(unitRow)
        contents.dataObjects = try connection.query("SELECT record FROM data_objects ORDER BY rowid").wait().map { row in
            guard let text = row.column("record")?.string, let record = try? JSONDecoder().decode(DataRecord.self, from: Data(text.utf8)) else {
                throw PilotError(.backend, "a journal row of data_objects is not a data record")
            }
            return record
        }
        return contents
    }

    private static func pilotRow(_ row: SQLiteRow) throws -> PilotRow {
        PilotRow(
            id: try required(row, "id"), serviceID: try required(row, "service_id"),
            description: try json(row, "description"), token: try required(row, "token"), state: try state(row),
            reason: row.column("reason")?.string, nativeID: row.column("native_id")?.string,
            host: row.column("host")?.string, created: row.column("created")?.double ?? 0,
            started: row.column("started")?.double, finished: row.column("finished")?.double)
    }

    private static func unitRow(_ row: SQLiteRow) throws -> UnitRow {
        UnitRow(
            id: try required(row, "id"), serviceID: row.column("service_id")?.string,
            assignedPilotID: row.column("assigned_pilot_id")?.string, pilotID: row.column("pilot_id")?.string,
            description: try json(row, "description"), state: try state(row), reason: row.column("reason")?.string,
            exitCode: int32(row, "exit_code"), signal: int32(row, "signal"), pid: int32(row, "pid"),
            host: row.column("host")?.string, workingDirectory: row.column("working_directory")?.string,
            submitted: row.column("submitted")?.double ?? 0, bound: row.column("bound")?.double,
            started: row.column("started")?.double, finished: row.column("finished")?.double,
            stagedIn: row.column("staging_input_seconds")?.double, stagedOut: row.column("staging_output_seconds")?.double)
    }

    private static func required(_ row: SQLiteRow, _ column: String) throws -> String {
        guard let value = row.column(column)?.string else { throw PilotError(.backend, "a journal row lacks \(column)") }
        return value
    }

    private static func state(_ row: SQLiteRow) throws -> State {
        guard let raw = row.column("state")?.integer, let state = State(rawValue: Int32(truncatingIfNeeded: raw)) else {
            throw PilotError(.backend, "a journal row has no valid state")
        }
        return state
    }

    private static func int32(_ row: SQLiteRow, _ column: String) -> Int32? {
        row.column(column)?.integer.map { Int32(truncatingIfNeeded: $0) }
    }

    private static func json(_ row: SQLiteRow, _ column: String) throws -> JSONValue {
        guard let blob = row.column(column)?.blob else { throw PilotError(.backend, "a journal row lacks \(column)") }
        return try JSONValue(wholeBuffer: blob)
    }
}
