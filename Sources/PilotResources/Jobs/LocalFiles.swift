import PilotModel
import PilotSystem

/// Reading jobs' output files on this host.
enum LocalFiles {
    /// `size` bytes of file `path` from `offset` (negative: from the end).
    static func peek(_ path: String, offset: Int, size: Int, resource: String) throws(PilotError) -> String {
        guard let text = FileSystem.read(path) else {
            throw PilotError(.notFound, "\(resource): cannot read the output file \(path)")
        }
        let bytes = Array(text.utf8)
        let start = offset < 0 ? max(0, bytes.count + offset) : min(offset, bytes.count)
        let end = min(bytes.count, start + max(0, size))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
