import NIOCore
import PilotLink
import PilotSystem

/// Answers the coordinator's reads of files where units run (`pilotctl
/// cat` and `tail` of a unit's output). The file is read on a thread of
/// its own, never on the agent's loop, since a file system may be slow.
enum FileReads {
    /// The most one answer carries.
    static let maximumBytes = 1 << 20

    /// Reads what `read` asks for, then calls `answer` on `loop`.
    static func serve(_ read: FileRead, on loop: EventLoop, answer: @escaping @Sendable (FileChunk) -> Void) {
        if let node = read.node, node != FileSystem.hostName() {
            answer(FileChunk(request: read.request, bytes: [], size: 0, problem:
                "\(read.path) is on \(node), another node of this pilot; its agent reads files on \(FileSystem.hostName()) only"))
            return
        }
        let started = startThread {
            let chunk: FileChunk
            switch FileWindow.read(read.path, offset: read.offset, limit: min(read.limit, maximumBytes)) {
            case .success(let window): chunk = FileChunk(request: read.request, bytes: window.bytes, size: window.size, problem: nil)
            case .failure(let error): chunk = FileChunk(request: read.request, bytes: [], size: 0, problem: error.message)
            }
            loop.execute { answer(chunk) }
        }
        if !started {
            answer(FileChunk(request: read.request, bytes: [], size: 0, problem: "the agent cannot start a thread to read \(read.path)"))
        }
    }
}
