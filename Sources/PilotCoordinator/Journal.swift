import Glibc
import Logging
import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotSystem
import SQLiteNIO

/// The coordinator's journal: an SQLite database in the session directory
/// holding every service, pilot and unit with its latest state, written by
/// one thread (WAL, synchronous=NORMAL: a written batch survives the
/// coordinator being killed; a power cut may lose the last batches).
///
/// Two kinds of writes, so that no call both fails and takes effect:
/// - What a caller creates (services, pilots, units) is written *before*
///   the registry takes it (`record`): if that fails, nothing changed and
///   the caller is told so.
/// - What happens to existing records (bindings, states, agent reports) is
///   handed over under the registry lock in batches (`append`). A batch that
///   cannot be written is kept and tried again every second until it is;
///   whatever waits for it (a unit sent to its agent, an agent's report
///   acknowledged) waits with it. The log says when writing failed and when
///   it works again; nothing needs a restart.
package final class Journal: Sendable {
    /// The journal's file name in the session directory.
    package static let fileName = "journal.sqlite"
    /// Seconds between attempts while the journal cannot be written.
    static let retryInterval = 1.0

    private struct Queue {
        var pending = JournalBatch()
        var appended: UInt64 = 0
        var written: UInt64 = 0
        /// Why the last write of `pending` failed, while it does.
        var failure: String?
        var failingSince: Double?
        var retryAt = 0.0
        /// Records callers wait to have written before they take effect.
        var records: [(number: UInt64, batch: JournalBatch)] = []
        var recordsTaken: UInt64 = 0
        var recordOutcomes: [UInt64: String?] = [:]
        var stopping = false
        var stopped = false
        /// Work to run once a sequence is written, in the order it was added.
        var afterWrite: [(sequence: UInt64, work: @Sendable () -> Void)] = []
    }

    let path: String
    private let queue = Monitor(Queue())
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let connection: SQLiteConnection

    /// Opens (or creates) the journal at `path`; `sessionID` is recorded in a new one.
    init(path: String, sessionID: String) throws(PilotError) {
        self.path = path
        // It holds the pilots' tokens: private from the start (SQLite gives its
        // -wal and -shm files the main file's mode).
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PilotError(.backend, "cannot open the journal \(path): \(FileSystem.errorText(errno))")
        }
        fchmod(descriptor, 0o600)
        Glibc.close(descriptor)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let opened: SQLiteConnection
        do {
            opened = try SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool,
                logger: Logger(label: "pilot.journal"), on: group.next()).wait()
        } catch {
            try? threadPool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "cannot open the journal \(path): \(error)")
        }
        do {
            for statement in JournalSchema.statements {
                _ = try opened.query(statement).wait()
            }
            let columns = try opened.query("PRAGMA table_info(units)").wait().compactMap { $0.column("name")?.string }
            for statement in JournalSchema.migrations(existing: Set(columns)) {
                _ = try opened.query(statement).wait()
            }
            _ = try opened.query("INSERT OR IGNORE INTO session(id, created) VALUES (?, ?)",
                                 [.text(sessionID), .float(WallClock.now())]).wait()
        } catch {
            // A connection must be closed before it goes (SQLiteNIO checks).
            try? opened.close().wait()
            try? threadPool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "cannot open the journal \(path): \(error)")
        }
        connection = opened
        guard startThread({ [self] in writeLoop() }) else {
            throw PilotError(.internal, "cannot start the journal's writer thread")
        }
    }

    /// Hands `batch` to the writer; returns its sequence number for `afterWritten`.
    func append(_ batch: JournalBatch) -> UInt64 {
        guard !batch.isEmpty else { return queue.withLock { $0.appended } }
        let sequence = queue.withLock { queue -> UInt64 in
            queue.pending.append(batch)
            queue.appended += 1
            return queue.appended
        }
        queue.broadcast()
        return sequence
    }

    /// Writes `batch` (new records) and returns once it is in the file, or
    /// throws why it cannot be: then nothing of it is in the file.
    func record(_ batch: JournalBatch) throws(PilotError) {
        guard !batch.isEmpty else { return }
        let number = queue.withLock { queue -> UInt64? in
            guard !queue.stopping else { return nil }
            queue.recordsTaken += 1
            queue.records.append((queue.recordsTaken, batch))
            return queue.recordsTaken
        }
        guard let number else { throw PilotError(.invalidState, "the session is closed; open a new one") }
        queue.broadcast()
        let failure = queue.wait(until: nil) { queue -> String?? in
            queue.recordOutcomes.removeValue(forKey: number)
        }
        if let failure = failure ?? nil {
            throw PilotError(.backend, "the journal \(path) cannot be written (\(failure)); nothing was changed: try again once it can (the coordinator keeps running)")
        }
    }

    /// The sequence number of the last batch handed over. Read under the
    /// registry lock, it covers every change made so far.
    var latestSequence: UInt64 { queue.withLock { $0.appended } }

    /// Runs `work` on the writer thread once batch `sequence` is in the
    /// file, after all work added before it: what depends on a change being
    /// recorded (a unit sent to its agent) waits for it, in order, without
    /// blocking the caller.
    func afterWritten(_ sequence: UInt64, _ work: @escaping @Sendable () -> Void) {
        let now = queue.withLock { queue -> Bool in
            guard !queue.stopped else { return true }
            queue.afterWrite.append((sequence, work))
            return false
        }
        if now { work() } else { queue.broadcast() }
    }

    /// Writes what is pending (one last attempt), stops the writer and closes the file.
    func close() {
        let first = queue.withLock { queue in
            defer { queue.stopping = true }
            return !queue.stopping
        }
        guard first else { return }
        queue.broadcast()
        _ = queue.wait(until: nil) { $0.stopped ? true : nil }
        try? connection.close().wait()
        try? threadPool.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
    }

    private enum WriterTask {
        case record([(number: UInt64, batch: JournalBatch)])
        case write(JournalBatch, sequence: UInt64, last: Bool)
        case run([@Sendable () -> Void])
    }

    private func writeLoop() {
        while true {
            // While failing, the writer also wakes when the next retry is due.
            let retry = queue.withLock { $0.failure != nil ? $0.retryAt : nil }
            let next = queue.wait(until: retry) { queue -> WriterTask? in
                // Work whose batch is written runs first, in order.
                let due = queue.afterWrite.prefix { $0.sequence <= queue.written }
                if !due.isEmpty {
                    queue.afterWrite.removeFirst(due.count)
                    return .run(due.map(\.work))
                }
                if !queue.records.isEmpty {
                    defer { queue.records.removeAll() }
                    return .record(queue.records)
                }
                let retryDue = queue.stopping || queue.failure == nil || WallClock.monotonic() >= queue.retryAt
                guard (!queue.pending.isEmpty && retryDue) || queue.stopping else { return nil }
                defer { queue.pending = JournalBatch() }
                return .write(queue.pending, sequence: queue.appended, last: queue.stopping)
            }
            switch next {
            case .run(let work)?:
                for item in work { item() }
            case .record(let records)?:
                var batch = JournalBatch()
                for record in records { batch.append(record.batch) }
                let failure = write(batch)
                queue.withLock { queue in
                    for record in records { queue.recordOutcomes[record.number] = .some(failure) }
                }
                queue.broadcast()
            case .write(let batch, let sequence, let last)?:
                let failure = write(batch)
                let leftover = settle(batch, sequence: sequence, failure: failure, last: last)
                queue.broadcast()
                for item in leftover { item() }
                if last { return }
            case nil:
                continue
            }
        }
    }

    /// Records the outcome of writing `batch`; a failed batch goes back in
    /// front of what came since. After the last write, returns the work
    /// still waiting (it runs now: the session is ending).
    private func settle(_ batch: JournalBatch, sequence: UInt64, failure: String?, last: Bool) -> [@Sendable () -> Void] {
        queue.withLock { queue -> [@Sendable () -> Void] in
            if let failure {
                var kept = batch
                kept.append(queue.pending)
                queue.pending = kept
                queue.retryAt = WallClock.monotonic() + Self.retryInterval
                if queue.failure == nil {
                    queue.failingSince = WallClock.monotonic()
                    StandardStreams.error("pilot: journal \(path) cannot be written (\(failure)); changes are kept and tried again every \(Int(Self.retryInterval)) s; calls that create services, pilots or units fail, changing nothing, until it can be written\n")
                }
                queue.failure = failure
            } else {
                if queue.failure != nil, let since = queue.failingSince {
                    StandardStreams.error("pilot: journal \(path) written again after \(Int(WallClock.monotonic() - since)) s\n")
                }
                queue.failure = nil
                queue.failingSince = nil
                queue.written = max(queue.written, sequence)
            }
            guard last else { return [] }
            if failure != nil {
                StandardStreams.error("pilot: journal \(path): the last changes could not be written before the session closed\n")
            }
            queue.stopped = true
            defer { queue.afterWrite.removeAll() }
            return queue.afterWrite.map(\.work)
        }
    }

    /// Writes one batch in one transaction; returns why it failed, if it did.
    private func write(_ batch: JournalBatch) -> String? {
        guard !batch.isEmpty else { return nil }
        do {
            _ = try connection.query("BEGIN IMMEDIATE").wait()
            for statement in JournalSchema.writes(batch, allocator: ByteBufferAllocator()) {
                _ = try connection.query(statement.sql, statement.binds).wait()
            }
            _ = try connection.query("COMMIT").wait()
            return nil
        } catch {
            _ = try? connection.query("ROLLBACK").wait()
            // The write-ahead log holds many versions of the same pages: folded
            // into the database and truncated, it usually frees enough room
            // for the retry once the file system has any to give.
            _ = try? connection.query("PRAGMA wal_checkpoint(TRUNCATE)").wait()
            return "\(error)"
        }
    }

    /// Reads everything back (for a restart), units in submission order.
    func load() throws(PilotError) -> JournalContents {
        do {
            return try JournalSchema.read(from: connection)
        } catch let error as PilotError {
            throw error
        } catch {
            throw PilotError(.backend, "cannot read the journal \(path): \(error)")
        }
    }
}
