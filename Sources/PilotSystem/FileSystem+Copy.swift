import Glibc

extension FileSystem {
    /// Copies the file at `source` to `destination` so that the copy
    /// appears whole or not at all: written to a temporary name beside it
    /// with `mode`, then renamed. Returns the problem, or nil.
    package static func copyAtomically(_ source: String, to destination: String, mode: mode_t) -> String? {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return "cannot read \(source): \(errorText(errno))" }
        defer { close(input) }
        let temporary = destination + ".part-\(getpid())"
        unlink(temporary)
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { return "cannot write \(temporary): \(errorText(errno))" }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var problem: String?
        copying: while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                problem = "cannot read \(source): \(errorText(errno))"
                break
            }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = chunk.withUnsafeBytes { Glibc.write(output, $0.baseAddress.map { $0 + offset }, count - offset) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else {
                    problem = "cannot write \(temporary): \(errorText(errno))"
                    break copying
                }
                offset += written
            }
        }
        if problem == nil, fchmod(output, mode) != 0 || close(output) != 0 {
            problem = "cannot write \(temporary): \(errorText(errno))"
        } else if problem != nil {
            close(output)
        }
        if problem == nil, rename(temporary, destination) != 0 {
            problem = "cannot rename \(temporary) to \(destination): \(errorText(errno))"
        }
        if problem != nil { unlink(temporary) }
        return problem
    }
}
