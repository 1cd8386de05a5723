import Pilot
import PilotModel
import PilotSystem

/// Reads a unit's output or an agent log through a session, as `cat` and
/// `tail` do: chunk by chunk from an offset, following it while it grows.
package struct OutputReader {
    /// Reads up to `limit` bytes from an offset.
    package let read: (_ offset: Int64, _ limit: Int) throws(PilotError) -> OutputChunk

    /// Creates a reader over `read`.
    package init(_ read: @escaping (_ offset: Int64, _ limit: Int) throws(PilotError) -> OutputChunk) {
        self.read = read
    }

    /// Bytes per read.
    static let chunkSize = 1 << 20

    /// Passes everything from `offset` to the current end to `write`;
    /// returns where it stopped, and whether the file may still grow.
    package func copy(from offset: Int64, to write: ([UInt8]) -> Void) throws(PilotError) -> (offset: Int64, growing: Bool) {
        var offset = offset
        while true {
            let chunk = try read(offset, Self.chunkSize)
            write(chunk.bytes)
            offset += Int64(chunk.bytes.count)
            if chunk.bytes.isEmpty || offset >= chunk.size { return (offset, chunk.growing) }
        }
    }

    /// Copies from `offset`, then every `interval` seconds what was added,
    /// until the file can no longer grow (its unit or pilot is final).
    package func follow(from offset: Int64, interval: Double, to write: ([UInt8]) -> Void) throws(PilotError) {
        var position = try copy(from: offset, to: write)
        while position.growing {
            Sleep.seconds(interval)
            position = try copy(from: position.offset, to: write)
        }
    }

    /// Where the last `lines` lines begin (a final line break ends the last line).
    package func start(ofLast lines: Int) throws(PilotError) -> Int64 {
        let size = try read(0, 0).size
        guard lines > 0 else { return size }
        var window = Int64(64 << 10)
        while true {
            let begin = max(0, size - window)
            let bytes = try read(begin, Int(size - begin)).bytes
            var seen = 0
            var index = bytes.count - 1
            if index >= 0, bytes[index] == UInt8(ascii: "\n") { index -= 1 }
            while index >= 0 {
                if bytes[index] == UInt8(ascii: "\n") {
                    seen += 1
                    if seen == lines { return begin + Int64(index + 1) }
                }
                index -= 1
            }
            if begin == 0 { return 0 }
            window *= 4
        }
    }
}
