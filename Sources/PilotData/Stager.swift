import Glibc
import PilotModel
import PilotSystem

/// Runs a unit's staging directives in order, blocking: each directive's
/// files travel as one tar stream (over one ssh connection per host,
/// reused by every directive), are checked against the source's CRC-32
/// digests and are renamed into place only when complete. A step that
/// fails for a reason that may pass (a broken connection, a corrupt copy)
/// is tried again, up to `attempts` times in all. Runs in a process of its
/// own (`pilot-agent --stage`), which may wait for its children.
package final class Stager {
    /// Tries per directive.
    package static let attempts = 3

    private let sandbox: String
    private var connections: [RemoteHost: SshConnection] = [:]
    private var controlDirectory: String?

    /// A stager for the unit whose working directory is `sandbox` (absolute).
    package init(sandbox: String) {
        self.sandbox = sandbox
    }

    /// Runs `directives` in order; stops at the first that fails and says
    /// which one and why.
    package func run(_ directives: [StagingDirective]) -> Result<StagingTally, StagingError> {
        var tally = StagingTally()
        let began = WallClock.monotonic()
        for directive in directives {
            var attempt = 1
            while true {
                switch stage(directive) {
                case .success(let moved):
                    tally.files += moved.files
                    tally.bytes += moved.bytes
                case .failure(let failure) where failure.transient && attempt < Self.attempts:
                    Sleep.seconds(Double(attempt))
                    attempt += 1
                    continue
                case .failure(let failure):
                    let tries = attempt > 1 ? " (after \(attempt) attempts)" : ""
                    return .failure(StagingError(reason: "staging \(directive.source) to \(directive.target)\(tries): \(failure.reason)"))
                }
                break
            }
        }
        tally.seconds = WallClock.monotonic() - began
        return .success(tally)
    }

    /// Ends the ssh connections and removes their sockets' directory.
    package func close() {
        for connection in connections.values { connection.close() }
        connections.removeAll()
        if let controlDirectory { FileSystem.removeTree(controlDirectory) }
    }

    /// One attempt at one directive.
    private func stage(_ directive: StagingDirective) -> Result<StagingTally, StagingFailure> {
        let source: (side: StagingSide, directory: String, pattern: String)
        let target: (side: StagingSide, path: String)
        switch (place(directive.source), place(directive.target)) {
        case (.failure(let failure), _), (_, .failure(let failure)):
            return .failure(failure)
        case (.success(let from), .success(let to)):
            let parent = FileSystem.parentDirectory(from.path)
            let name = String(from.path.split(separator: "/").last ?? "")
            guard !name.isEmpty, name != ".", name != ".." else {
                return .failure(StagingFailure("the source names no file or directory (its path ends in \(quoted(name)))"))
            }
            source = (from.side, parent, name)
            target = (to.side, to.path)
        }
        let intoDirectory = directive.targetsDirectory(sourceName: source.pattern)
        let targetPath = target.path.count > 1 && target.path.hasSuffix("/") ? String(target.path.dropLast()) : target.path
        let directory = intoDirectory ? targetPath : FileSystem.parentDirectory(targetPath)
        let renamed = intoDirectory ? nil : targetPath
        if directive.action == .link, case .local = source.side, case .local = target.side {
            return LocalFiles.link(source.pattern, from: source.directory, into: directory, renamed: renamed)
        }
        let names: [String]
        let manifest: Manifest
        switch source.side.describe(source.pattern, in: source.directory) {
        case .failure(let failure): return .failure(failure)
        case .success(let described): (names, manifest) = described
        }
        if let failure = target.side.makeDirectory(directory) { return .failure(failure) }
        let partial = directory + "/.pilot-partial-" + Secret.make().prefix(16)
        if let failure = copy(names, pattern: source.pattern, from: source, to: target.side, partial: partial, expected: manifest)
            ?? target.side.commit(names, from: partial, into: directory, renamed: renamed) {
            target.side.discard(partial)
            return .failure(failure)
        }
        if directive.action == .move, let failure = source.side.remove(names, in: source.directory) { return .failure(failure) }
        var tally = StagingTally()
        tally.files = manifest.digests.count
        tally.bytes = manifest.bytes
        return .success(tally)
    }

    /// Streams `names` into `partial` and checks what arrived.
    private func copy(_ names: [String], pattern: String, from source: (side: StagingSide, directory: String, pattern: String),
                      to target: StagingSide, partial: String, expected: Manifest) -> StagingFailure? {
        let results: (producer: SubprocessResult, consumer: SubprocessResult)
        // Generous (5 minutes, and 2 MiB/s of what is to move), but a stalled far end must not stall the unit for ever.
        let limit = 300 + Double(expected.bytes) / Double(2 << 20)
        switch Subprocess.pipeline(source.side.pack(names, pattern: pattern, in: source.directory), into: target.unpack(into: partial), timeout: limit) {
        case .failure(let failure):
            return StagingFailure(failure.reason)
        case .success(let ran):
            results = ran
            var problems: [String] = []
            var transient = false
            for (result, doing) in [(results.producer, "reading the source"), (results.consumer, "writing \(partial)")] where !result.succeeded {
                // stderr only: the consumer's stdout is the manifest.
                let lines = result.error.split(separator: "\n").map { String($0).trimmed }.filter { !$0.isEmpty }
                let said = lines.isEmpty ? "\(result.status)" : lines.joined(separator: "; ")
                problems.append("\(doing): \(said)")
                transient = transient || result.status == .exited(255)
            }
            // tar says "Wrote only 512 of 10240 bytes" when a disk fills: name the cause.
            if case .local = target, !problems.isEmpty, let free = FileSystem.freeBytes(FileSystem.parentDirectory(partial)), free < 1 << 20 {
                problems.append("the file system holding \(FileSystem.parentDirectory(partial)) is full (\(free) bytes free)")
            }
            if !problems.isEmpty { return StagingFailure(problems.joined(separator: "; "), transient: transient) }
        }
        return Manifest(cksum: results.consumer.output).difference(from: expected, at: partial).map { StagingFailure($0, transient: true) }
    }

    /// Where a directive's end is: its side and absolute path.
    func place(_ text: String) -> Result<(side: StagingSide, path: String), StagingFailure> {
        let location: DataLocation
        do {
            location = try DataLocation(text, allowsSandbox: true, what: "location")
        } catch {
            return .failure(StagingFailure(error.message))
        }
        switch location {
        case .local(let path): return .success((.local, path))
        case .sandbox(let relative): return .success((.local, relative == "." || relative == "./" ? sandbox : sandbox + "/" + relative))
        case .remote(let host, let path) where host.user == nil && host.port == nil && host.host == FileSystem.hostName():
            // This very host by its name (a unit on the node that holds the data): no ssh, and Link links.
            return .success((.local, path))
        case .remote(let host, let path): return connection(to: host).map { (.remote($0), path) }
        }
    }

    /// The connection to `host`, made once.
    private func connection(to host: RemoteHost) -> Result<SshConnection, StagingFailure> {
        if let known = connections[host] { return .success(known) }
        if controlDirectory == nil {
            // ssh's socket paths must stay short (108 bytes): a short private directory.
            controlDirectory = FileSystem.makeTemporaryDirectory(prefix: "pilot-ssh")
        }
        guard let controlDirectory else {
            return .failure(StagingFailure("cannot make a directory for ssh's connection sockets: \(FileSystem.errorText(errno))"))
        }
        let connection = SshConnection(host: host, controlDirectory: controlDirectory)
        connections[host] = connection
        return .success(connection)
    }
}

/// Why staging failed, for the unit's reason.
package struct StagingError: Error, Sendable, Equatable {
    /// Which directive, which file, which host, and what was said.
    package var reason: String

    /// An error with this reason.
    package init(reason: String) {
        self.reason = reason
    }
}
