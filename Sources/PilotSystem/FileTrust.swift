import Glibc

/// Checks on the paths a session trusts (its directory, socket, secret and
/// journal): another user who could create or swap one of them could read
/// the secret, forge it, or sit between the coordinator and its agents.
extension FileSystem {
    /// Why someone other than this user (or root) could rename or replace
    /// entries of directory `path`, or nil when nobody can: it is owned by
    /// this user or root, and writable by nobody else unless sticky (as
    /// /tmp is, where only an entry's owner may rename it).
    package static func sharedParentProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path): \(errorText(errno))" }
        guard info.st_uid == getuid() || info.st_uid == 0 else { return "\(path) belongs to another user" }
        let sticky = info.st_mode & S_ISVTX != 0
        guard info.st_mode & 0o022 == 0 || sticky else { return "\(path) is writable by other users and not sticky" }
        return nil
    }

    /// Why the existing entry `path` (a socket, secret or journal file)
    /// cannot be trusted, or nil when it can or does not exist: it must be
    /// no symbolic link, owned by this user, and open to nobody else (a
    /// socket, which the session binds anew, may have any mode).
    package static func privateEntryProblem(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? nil : "\(path): \(errorText(errno))" }
        guard (info.st_mode & S_IFMT) != S_IFLNK else { return "\(path) is a symbolic link" }
        guard info.st_uid == getuid() else { return "\(path) belongs to another user" }
        // A socket of ours is replaced when the session starts; its mode matters only once it is ours anew.
        guard (info.st_mode & S_IFMT) == S_IFSOCK || info.st_mode & 0o077 == 0 else {
            return "\(path) is open to other users (mode \(String(info.st_mode & 0o777, radix: 8)))"
        }
        return nil
    }

    /// Why the session directory `path` or one of the `entries` in it
    /// cannot be trusted, or nil: the directory must be this user's, private
    /// (see `privacyProblem`), in a parent nobody else can rearrange.
    package static func sessionProblem(_ path: String, entries: [String]) -> String? {
        if let problem = sharedParentProblem(parentDirectory(path)) ?? privacyProblem(path) { return problem }
        for entry in entries {
            if let problem = privateEntryProblem(path + "/" + entry) { return problem }
        }
        return nil
    }
}
