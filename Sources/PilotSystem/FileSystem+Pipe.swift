import CPilotSystem
import Glibc

extension FileSystem {
    /// A new pipe, close-on-exec at both ends, or why none could be made.
    package static func makePipe() -> Result<(read: Int32, write: Int32), SpawnFailure> {
        var ends: [Int32] = [-1, -1]
        guard cpilot_pipe_cloexec(&ends) == 0 else { return .failure(SpawnFailure("cannot make a pipe: \(errorText(errno))")) }
        return .success((ends[0], ends[1]))
    }
}
