import Crypto
import Glibc
import PilotModel
import PilotSystem

/// SHA-256 digests of files, read in 1 MiB chunks (a file of any size
/// costs the same memory).
enum FileDigest {
    /// The digest of the file at `path` in lower-case hex, or why it cannot be read.
    static func sha256(_ path: String) -> Result<String, StagingFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(StagingFailure("cannot read \(path): \(FileSystem.errorText(errno))")) }
        defer { close(descriptor) }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .failure(StagingFailure("cannot read \(path): \(FileSystem.errorText(errno))")) }
            if count == 0 { break }
            chunk.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return .success(Hex.text(hasher.finalize()))
    }
}
