import Glibc

/// Unbuffered writes to standard output and standard error, usable from any thread.
package enum StandardStreams {
    /// Writes `text` to stderr.
    package static func error(_ text: String) {
        write(text, to: 2)
    }

    /// Writes `text` to stdout, bypassing stdio buffering (a reader sees it at once).
    package static func output(_ text: String) {
        write(text, to: 1)
    }

    /// Writes `bytes` to stdout as they are (a unit's output need not be UTF-8).
    package static func output(bytes: [UInt8]) {
        write(bytes, to: 1)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        write(Array(text.utf8), to: descriptor)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
