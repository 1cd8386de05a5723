import Glibc
import PilotModel
import PilotSystem

/// Names matched on this host's file system.
enum LocalFiles {
    /// The entries of `directory` that `pattern` (a name or a glob) names,
    /// sorted; a failure, worded as the stager's shell words it, when there are none.
    static func match(_ pattern: String, in directory: String) -> Result<[String], StagingFailure> {
        var matched: [String] = []
        if !DataLocation.isGlob(pattern) {
            var info = stat()
            if lstat(directory + "/" + pattern, &info) == 0 { matched = [pattern] }
        } else if let names = FileSystem.entries(of: directory) {
            matched = names.filter { fnmatch(pattern, $0, FNM_PERIOD) == 0 }.sorted()
            // As sh does: a pattern that matches nothing names itself (a file called "g[1].txt").
            var info = stat()
            if matched.isEmpty, lstat(directory + "/" + pattern, &info) == 0 { matched = [pattern] }
        }
        guard !matched.isEmpty else {
            return .failure(StagingFailure("cannot read \(directory)/\(pattern): no file matches \(pattern) in \(directory)"))
        }
        return .success(matched)
    }
}

extension LocalFiles {
    /// Links the entries `pattern` names in `directory` into `target`
    /// (or the one entry as `renamed`) with symbolic links to their
    /// absolute paths, replacing what has those names.
    static func link(_ pattern: String, from directory: String, into target: String, renamed: String?) -> Result<StagingTally, StagingFailure> {
        let names: [String]
        switch match(pattern, in: directory) {
        case .success(let matched): names = matched
        case .failure(let failure): return .failure(failure)
        }
        if let problem = FileSystem.makeDirectories(target) { return .failure(StagingFailure(problem)) }
        for name in names {
            let link = renamed ?? target + "/" + name
            unlink(link)
            guard symlink(directory + "/" + name, link) == 0 else {
                return .failure(StagingFailure("cannot link \(link) to \(directory)/\(name): \(FileSystem.errorText(errno))"))
            }
        }
        var tally = StagingTally()
        tally.files = names.count
        return .success(tally)
    }
}
