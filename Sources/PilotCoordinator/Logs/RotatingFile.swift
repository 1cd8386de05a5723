import Glibc

/// A log file that lines are appended to and that is rotated by size: past
/// `limit` bytes, `path` becomes `path.1` (`.1` becomes `.2`, and so on up
/// to `kept` old files; the oldest is dropped) and a new file begins. It is
/// opened for each line, so a thousand pilots hold no descriptors; callers
/// serialize appends.
struct RotatingFile: Sendable {
    let path: String
    let limit: Int
    let kept: Int

    /// Appends `line` (ending in a line break). Errors are dropped: the log
    /// is where they would be reported.
    func append(_ line: String) {
        let bytes = Array(line.utf8)
        var status = stat()
        if stat(path, &status) == 0, status.st_size > 0, Int(status.st_size) + bytes.count > limit { rotate() }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    private func rotate() {
        for index in stride(from: kept - 1, through: 1, by: -1) {
            rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        rename(path, "\(path).1")
    }
}
