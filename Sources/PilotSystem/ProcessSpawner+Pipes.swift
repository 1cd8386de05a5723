import CPilotSystem
import Glibc

/// A started process the caller talks to over pipes: `read` is its stdout,
/// `write` its stdin (the caller's ends, close-on-exec).
package struct ConnectedProcess: Sendable {
    /// Its pid.
    package let pid: pid_t
    /// Reads what it writes on stdout.
    package let read: Int32
    /// Writes to its stdin.
    package let write: Int32
}

extension ProcessSpawner {
    /// Starts `request` with a pipe on its stdin and one on its stdout
    /// (`request.pipes` is set here); its stderr is `request.error`, or
    /// ours when that is empty.
    package static func spawnConnected(_ request: SpawnRequest) -> Result<ConnectedProcess, SpawnFailure> {
        let toChild: (read: Int32, write: Int32)
        let fromChild: (read: Int32, write: Int32)
        switch makePipe() {
        case .success(let pipe): toChild = pipe
        case .failure(let failure): return .failure(failure)
        }
        switch makePipe() {
        case .success(let pipe): fromChild = pipe
        case .failure(let failure):
            close(toChild.read)
            close(toChild.write)
            return .failure(failure)
        }
        var connected = request
        connected.pipes = (toChild.read, fromChild.write)
        let spawned = spawn(connected)
        close(toChild.read)
        close(fromChild.write)
        switch spawned {
        case .success(let pid):
            return .success(ConnectedProcess(pid: pid, read: fromChild.read, write: toChild.write))
        case .failure(let failure):
            close(toChild.write)
            close(fromChild.read)
            return .failure(failure)
        }
    }

    /// A new pipe, close-on-exec at both ends, or why none could be made.
    package static func makePipe() -> Result<(read: Int32, write: Int32), SpawnFailure> {
        var ends: [Int32] = [-1, -1]
        guard cpilot_pipe_cloexec(&ends) == 0 else { return .failure(SpawnFailure("cannot make a pipe: \(FileSystem.errorText(errno))")) }
        return .success((ends[0], ends[1]))
    }
}
