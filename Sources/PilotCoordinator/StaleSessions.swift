import Glibc
import PilotModel
import PilotSystem

/// Removes what sessions killed without closing (SIGKILL) left in the
/// per-user session directory: a `ps-*` directory whose socket file is
/// over a minute old and refuses connections. Live sessions listen within
/// microseconds of creating their socket, and empty directories (a session
/// being set up) are never touched.
enum StaleSessions {
    static let minimumAge: Double = 60

    static func sweep(_ parent: String) {
        for name in FileSystem.entries(of: parent) ?? [] {
            guard name.hasPrefix(IdentifierKind.session.rawValue + "-") else { continue }
            let session = parent + "/" + name
            let socketPath = session + "/agents.sock"
            var info = stat()
            guard lstat(socketPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK,
                  WallClock.now() - Double(info.st_mtim.tv_sec) > minimumAge,
                  UnixSocket.isAbandoned(socketPath) else { continue }
            unlink(socketPath)
            rmdir(session)
        }
    }
}
