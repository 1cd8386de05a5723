import Glibc

/// Reads part of a file: what `tail` and `cat` of a unit's output need.
package enum FileWindow {
    /// Up to `limit` bytes of `path` from `offset`, and the file's size;
    /// a missing file reads as empty (output not written yet). Fails with
    /// the reason when the file cannot be read.
    package static func read(_ path: String, offset: Int64, limit: Int) -> Result<(bytes: [UInt8], size: Int64), FileWindowError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return .success(([], 0)) }
            return .failure(FileWindowError(message: "cannot open \(path): \(FileSystem.errorText(errno))"))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            return .failure(FileWindowError(message: "\(path) is not a regular file"))
        }
        let size = Int64(status.st_size)
        let wanted = max(0, min(Int64(limit), size - offset))
        var bytes = [UInt8](repeating: 0, count: Int(wanted))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + filled }, raw.count - filled, off_t(offset) + off_t(filled))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return .success((Array(bytes.prefix(filled)), size))
    }
}

/// Why part of a file could not be read.
package struct FileWindowError: Error {
    /// What went wrong, naming the file.
    package let message: String
}
