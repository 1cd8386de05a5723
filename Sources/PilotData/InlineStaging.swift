import Glibc
import PilotModel
import PilotSystem

/// Staging small enough to do on the spot: every directive a local copy,
/// move or link of regular files (at most `byteLimit` bytes in all), done
/// in the calling thread without starting a process. An agent stages a
/// unit's small local inputs this way (a stager process per unit would
/// cost more than the unit); anything else goes to a `Stager`.
package enum InlineStaging {
    /// The most bytes staged on the spot.
    package static let byteLimit = 1 << 20

    /// Stages `directives` for working directory `sandbox` now, or answers
    /// nil (having done nothing) when one of them is not small and local.
    package static func run(_ directives: [StagingDirective], sandbox: String) -> Result<StagingTally, StagingError>? {
        var plan: [(directive: StagingDirective, from: String, names: [String], to: String, renamed: String?)] = []
        var bytes = 0
        for directive in directives {
            guard let from = localPath(directive.source, sandbox), let to = localPath(directive.target, sandbox) else { return nil }
            let directory = FileSystem.parentDirectory(from)
            let pattern = String(from.split(separator: "/").last ?? "")
            guard case .success(let names) = LocalFiles.match(pattern, in: directory) else { return nil }
            for name in names where directive.action != .link {
                var info = stat()
                guard lstat(directory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
                bytes += Int(info.st_size)
            }
            guard bytes <= byteLimit else { return nil }
            let intoDirectory = directive.targetsDirectory(sourceName: pattern)
            let target = to.count > 1 && to.hasSuffix("/") ? String(to.dropLast()) : to
            plan.append((directive, directory, names, intoDirectory ? target : FileSystem.parentDirectory(target), intoDirectory ? nil : target))
        }
        let began = WallClock.monotonic()
        var tally = StagingTally()
        for step in plan {
            if let problem = FileSystem.makeDirectories(step.to) { return .failure(reason(step.directive, problem)) }
            if step.directive.action == .link {
                switch LocalFiles.link(String(step.directive.source.split(separator: "/").last ?? ""), from: step.from, into: step.to, renamed: step.renamed) {
                case .success(let linked): tally.files += linked.files
                case .failure(let failure): return .failure(reason(step.directive, failure.reason))
                }
                continue
            }
            for name in step.names {
                let source = step.from + "/" + name
                var info = stat()
                let mode = lstat(source, &info) == 0 ? info.st_mode & 0o7777 : 0o644
                if let problem = FileSystem.copyAtomically(source, to: step.renamed ?? step.to + "/" + name, mode: mode) {
                    return .failure(reason(step.directive, problem))
                }
                if step.directive.action == .move { unlink(source) }
                tally.files += 1
            }
        }
        tally.bytes = bytes
        tally.seconds = WallClock.monotonic() - began
        return .success(tally)
    }

    /// The absolute local path `text` names, nil for a remote one.
    private static func localPath(_ text: String, _ sandbox: String) -> String? {
        switch try? DataLocation(text, allowsSandbox: true, what: "location") {
        case .local(let path)?: return path
        case .sandbox(let relative)?: return relative == "." || relative == "./" ? sandbox : sandbox + "/" + relative
        default: return nil
        }
    }

    private static func reason(_ directive: StagingDirective, _ problem: String) -> StagingError {
        StagingError(reason: "staging \(directive.source) to \(directive.target): \(problem)")
    }
}
