import PilotLink
import PilotModel
import PilotSystem

/// File reads sent to agents and not yet answered: the caller's thread
/// sleeps until the agent's chunk arrives, its link closes, or time is up.
final class PendingReads: Sendable {
    private struct Pending {
        let link: LinkID
        var chunk: FileChunk?
    }

    /// Seconds a read may take before the caller is told the agent did not answer.
    static let timeout = 30.0

    private let pending = Monitor<(next: UInt64, waiting: [UInt64: Pending])>((1, [:]))

    /// Sends `read` (its request number filled in) on `link` and waits for the answer.
    func read(_ read: FileRead, from link: any AgentLink, id: LinkID) throws(PilotError) -> FileChunk {
        var read = read
        read.request = pending.withLock { state in
            defer { state.next += 1 }
            state.waiting[state.next] = Pending(link: id, chunk: nil)
            return state.next
        }
        let request = read.request
        let message = CoordinatorMessage.read(read)
        link.execute { link.send([message]) }
        let chunk = pending.wait(until: WallClock.monotonic() + Self.timeout) { state -> FileChunk? in
            state.waiting[request]?.chunk
        }
        pending.withLock { _ = $0.waiting.removeValue(forKey: request) }
        guard let chunk else {
            throw PilotError(.timeout, "the agent did not send \(read.path) within \(durationText(Self.timeout))")
        }
        if let problem = chunk.problem { throw PilotError(.backend, problem) }
        return chunk
    }

    /// An agent answered.
    func answered(_ chunk: FileChunk) {
        let known = pending.withLock { state -> Bool in
            guard state.waiting[chunk.request] != nil else { return false }
            state.waiting[chunk.request]?.chunk = chunk
            return true
        }
        if known { pending.broadcast() }
    }

    /// `link` closed: reads sent on it will not be answered.
    func closed(_ link: LinkID) {
        let failed = pending.withLock { state -> Bool in
            var failed = false
            for (request, entry) in state.waiting where entry.link == link && entry.chunk == nil {
                state.waiting[request]?.chunk = FileChunk(request: request, bytes: [], size: 0, problem: "the agent's link closed before it answered; try again")
                failed = true
            }
            return failed
        }
        if failed { pending.broadcast() }
    }
}
