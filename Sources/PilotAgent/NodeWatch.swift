import Glibc
import NIOCore
import NIOPosix
import PilotLink

/// Watches the other nodes of a multi-node allocation: every
/// `interval` it opens a TCP connection to each (port 22); any answer,
/// a refusal included, means the node is up. A node that gives none
/// `misses` times in a row is lost, and `lost` is told once (its index
/// in the allocation and a sentence naming it). A name that does not
/// resolve here (an ssh alias) cannot be probed: that node is left out,
/// once logged through `unprobed`, and only its worker's silence can tell
/// of its loss. Confined to one event loop.
final class NodeWatch {
    /// Seconds between rounds, and the longest a probe waits.
    static let interval: TimeAmount = .seconds(2)
    /// Rounds without an answer before a node counts as lost.
    static let misses = 3
    /// The port probed: sshd's, though a refusal answers as well.
    static let port = 22

    private let names: [String]
    private let eventLoop: EventLoop
    private let lost: (Int, String) -> Void
    private let unprobed: (String) -> Void
    private var silentRounds: [Int]
    private var gone: Set<Int> = []
    private var task: RepeatedTask?

    /// Watches nodes `names` (index 0, the agent's own, is not probed).
    init(names: [String], eventLoop: EventLoop, unprobed: @escaping (String) -> Void, lost: @escaping (Int, String) -> Void) {
        self.names = names
        self.eventLoop = eventLoop
        self.unprobed = unprobed
        self.lost = lost
        silentRounds = Array(repeating: 0, count: names.count)
    }

    /// Starts the rounds. Call on the loop.
    func start() {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        task = eventLoop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { _ in bound.value.round() }
    }

    /// Stops probing.
    func stop() {
        task?.cancel()
    }

    private func round() {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        for index in names.indices.dropFirst() where !gone.contains(index) {
            ClientBootstrap(group: eventLoop).connectTimeout(Self.interval).connect(host: names[index], port: Self.port)
                .whenComplete { result in
                    switch result {
                    case .success(let channel):
                        channel.close(promise: nil)
                        bound.value.heard(from: index)
                    case .failure(let error) where Self.isRefusal(error):
                        bound.value.heard(from: index)
                    case .failure(let error as NIOConnectionError) where error.dnsAError != nil && error.dnsAAAAError != nil:
                        bound.value.cannotProbe(index, because: connectFailure(error))
                    case .failure:
                        bound.value.missed(index)
                    }
                }
        }
    }

    /// Whether `error` says the node refused the connection: it answered.
    /// SwiftNIO reports a refused connect by host name inside a
    /// `NIOConnectionError`, one error per address tried.
    static func isRefusal(_ error: Error) -> Bool {
        if let failure = error as? IOError { return failure.errnoCode == ECONNREFUSED }
        guard let failure = error as? NIOConnectionError else { return false }
        return failure.connectionErrors.contains { isRefusal($0.error) }
    }

    private func cannotProbe(_ index: Int, because reason: String) {
        guard gone.insert(index).inserted else { return }
        unprobed("node \(names[index]) is not watched: \(reason)")
    }

    private func heard(from index: Int) {
        silentRounds[index] = 0
    }

    private func missed(_ index: Int) {
        silentRounds[index] += 1
        guard silentRounds[index] >= Self.misses, gone.insert(index).inserted else { return }
        let seconds = Self.misses * Int(Self.interval.nanoseconds / 1_000_000_000)
        lost(index, "node \(names[index]) was lost: it did not answer for \(seconds) s")
    }
}
