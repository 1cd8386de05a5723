import NIOCore
import PilotLink
import PilotSystem

/// Reads files on this node for the coordinator (`pilotctl cat` and
/// `tail` of a unit's output), in the agent or in a node worker. The file
/// is read on a thread of its own, never on the loop, since a file system
/// may be slow.
enum FileReads {
    /// The most one answer carries.
    static let maximumBytes = 1 << 20

    /// Reads what `read` asks for, then calls `answer` on `loop`. When the
    /// file is not on this node and `elsewhere` is given, `elsewhere` gets
    /// the read instead (on `loop`): a unit on another node writes its
    /// output there when a node worker runs it, here when srun or ssh does.
    static func serve(_ read: FileRead, on loop: EventLoop, elsewhere: (@Sendable (FileRead) -> Void)? = nil,
                      answer: @escaping @Sendable (FileChunk) -> Void) {
        let started = startThread {
            if let elsewhere, !FileSystem.exists(read.path) {
                loop.execute { elsewhere(read) }
                return
            }
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
