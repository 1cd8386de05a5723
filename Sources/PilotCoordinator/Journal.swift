import Glibc
import Logging
import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotSystem
import SQLiteNIO

/// The coordinator's journal: an SQLite database in the session directory
/// holding every service, pilot and unit with its latest state. Changes are
/// handed over under the registry lock and written by one thread, batch by
/// batch, each batch in one transaction (WAL, synchronous=NORMAL: a batch
/// is in the file before its callers are answered, so it survives the
/// coordinator being killed; a power cut may lose the last batches).
final class Journal: Sendable {
    /// The journal's file name in the session directory.
    static let fileName = "journal.sqlite"

    private struct Queue {
        var pending = JournalBatch()
        var appended: UInt64 = 0
        var written: UInt64 = 0
        var failure: String?
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
        do {
            connection = try SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool,
                logger: Logger(label: "pilot.journal"), on: group.next()).wait()
            for statement in JournalSchema.statements {
                _ = try connection.query(statement).wait()
            }
            _ = try connection.query("INSERT OR IGNORE INTO session(id, created) VALUES (?, ?)",
                                     [.text(sessionID), .float(WallClock.now())]).wait()
        } catch {
            try? threadPool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            throw PilotError(.backend, "cannot open the journal \(path): \(error)")
        }
        guard startThread({ [self] in writeLoop() }) else {
            throw PilotError(.internal, "cannot start the journal's writer thread")
        }
    }

    /// Hands `batch` to the writer; returns its sequence number for `waitWritten`.
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

    /// Returns once batch `sequence` is in the file; throws if the journal
    /// cannot be written (the caller's change must not be acknowledged).
    func waitWritten(_ sequence: UInt64) throws(PilotError) {
        let outcome = queue.wait(until: nil) { queue -> Result<Void, PilotError>? in
            if let failure = queue.failure {
                return .failure(PilotError(.backend, "the journal \(path) cannot be written (\(failure)); the change was not recorded"))
            }
            return queue.written >= sequence ? .success(()) : nil
        }
        try outcome?.get()
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

    /// Writes what is pending, stops the writer and closes the file.
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
        case write(JournalBatch, sequence: UInt64, stopping: Bool)
        case run([@Sendable () -> Void])
    }

    private func writeLoop() {
        while true {
            let next = queue.wait(until: nil) { queue -> WriterTask? in
                // Work whose batch is written (or can never be: the journal failed) runs first, in order.
                let due = queue.afterWrite.prefix { $0.sequence <= queue.written || queue.failure != nil }
                if !due.isEmpty {
                    queue.afterWrite.removeFirst(due.count)
                    return .run(due.map(\.work))
                }
                guard !queue.pending.isEmpty || queue.stopping else { return nil }
                defer { queue.pending = JournalBatch() }
                return .write(queue.pending, sequence: queue.appended, stopping: queue.stopping)
            }
            switch next {
            case .run(let work)?:
                for item in work { item() }
            case .write(let batch, let sequence, let stopping)?:
                let failure = write(batch)
                let leftover = queue.withLock { queue -> [@Sendable () -> Void] in
                    if let failure, queue.failure == nil { queue.failure = failure }
                    queue.written = max(queue.written, sequence)
                    guard stopping && queue.pending.isEmpty else { return [] }
                    queue.stopped = true
                    defer { queue.afterWrite.removeAll() }
                    return queue.afterWrite.map(\.work)
                }
                queue.broadcast()
                for item in leftover { item() }
                if !leftover.isEmpty || queue.withLock({ $0.stopped }) { return }
            case nil:
                return
            }
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
            StandardStreams.error("pilot: journal \(path): \(error)\n")
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
