import CPilotSystem
import Glibc

/// The few file system operations the core needs, with errors as text.
package enum FileSystem {
    /// Creates `path` and its missing parents with `mode`; nil on success,
    /// otherwise why it failed.
    package static func makeDirectories(_ path: String, mode: mode_t = 0o755) -> String? {
        if mkdir(path, mode) == 0 { return nil }
        var failure = errno
        if failure == EEXIST { return isDirectory(path) ? nil : "\(path) exists and is not a directory" }
        if failure == ENOENT {
            let parent = parentDirectory(path)
            if parent != path, let problem = makeDirectories(parent, mode: mode) { return problem }
            if mkdir(path, mode) == 0 { return nil }
            failure = errno
            if failure == EEXIST, isDirectory(path) { return nil }
        }
        return "cannot create directory \(path): \(errorText(failure))"
    }

    /// Whether `path` is an existing directory.
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Why `path` is not a directory owned by this user that nobody else
    /// can write to, or nil when it is.
    package static func privacyProblem(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "\(path): \(errorText(errno))" }
        guard (info.st_mode & S_IFMT) != S_IFLNK else { return "\(path) is a symbolic link; name the directory itself" }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "\(path) is not a directory" }
        guard info.st_uid == getuid() else { return "\(path) belongs to another user" }
        guard info.st_mode & 0o022 == 0 else { return "\(path) is writable by other users" }
        return nil
    }

    /// Whether `path` exists.
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The directory part of `path`.
    package static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Writes `text` to a new file at `path` with `mode` (replacing any old one).
    package static func write(_ text: String, to path: String, mode: mode_t) -> String? {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return "cannot write \(path): \(errorText(errno))" }
        defer { close(descriptor) }
        guard writeAll(text, to: descriptor) else { return "cannot write \(path): \(errorText(errno))" }
        return nil
    }

    /// Writes `text` to `path` as a shell's `>` does: creates or truncates
    /// what is there, following links, and reports a failed write (a full
    /// disk) that `write(_:to:mode:)`, meant for private files, would too.
    package static func redirect(_ text: String, to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return "cannot write \(path): \(errorText(errno))" }
        guard writeAll(text, to: descriptor) else {
            let problem = "cannot write \(path): \(errorText(errno))"
            close(descriptor)
            return problem
        }
        return close(descriptor) == 0 ? nil : "cannot write \(path): \(errorText(errno))"
    }

    /// Reads the whole file at `path` as UTF-8 text.
    package static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return readAll(descriptor)
    }

    /// Everything `descriptor` yields until end of file (or an error), as UTF-8 text.
    package static func readAll(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes all of `text` to `descriptor`; false if a write failed.
    package static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// The process's working directory ("/" if it cannot be read).
    package static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The message of errno value `code`.
    package static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Bytes an unprivileged user may still write on the file system holding `path`; nil if it cannot be asked.
    package static func freeBytes(_ path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// A new private directory (0700) named `<prefix>-XXXXXX` under
    /// `Environment.temporaryDirectory`; nil (errno set) if none can be made.
    package static func makeTemporaryDirectory(prefix: String) -> String? {
        var template = Array((Environment.temporaryDirectory + "/" + prefix + "-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
    }

    /// This machine's host name.
    package static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The absolute path of the running program, nil if Linux's
    /// /proc/self/exe cannot tell.
    package static func runningProgram() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in directory `path` (without `.` and `..`); nil if it cannot be read.
    package static func entries(of path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and everything under it, without following symbolic links.
    package static func removeTree(_ path: String) {
        _ = cpilot_remove_tree(path)
    }

    /// The absolute path of the binary (executable or shared library) this code was loaded from.
    package static func ownImagePath() -> String? {
        guard let name = cpilot_image_path(#dsohandle) else { return nil }
        let image = String(cString: name)
        guard !image.hasPrefix("/") else { return image }
        // A relative name is the main program's argv[0]: a bare name was found on PATH, not in this directory.
        guard image.contains("/"), let resolved = realpath(image, nil) else { return runningProgram() ?? image }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
