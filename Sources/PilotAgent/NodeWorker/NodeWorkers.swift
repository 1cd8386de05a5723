import Glibc
import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotSystem

/// The agent's node workers: one `pilot-agent --node-worker` per other
/// node of the allocation, started at once (through srun or ssh, see
/// `NodeLaunch.workerArguments`) and spoken to over that command's stdin
/// and stdout. A worker takes units once it has said it is ready; a worker
/// that fails to start leaves its node to one srun or ssh per unit, and one
/// that ends later takes its running units with it (`ended`). Confined to
/// the agent's event loop.
final class NodeWorkers {
    /// What the executor hears: a worker's report on its units, and the end
    /// of a worker that was running units (node index, why).
    struct Events {
        let report: (Int, WorkerReport) -> Void
        let ended: (Int, String) -> Void
    }

    /// Reads sent to workers and not answered yet: who asked, and the node.
    private var reads: [UInt64: (node: Int, answer: (FileChunk) -> Void)] = [:]

    private struct Worker {
        let name: String
        /// The srun or ssh that carries it, a child of the agent.
        let launcher: pid_t
        let began: Double
        var channel: Channel?
        var ready = false
        /// When it last said anything.
        var lastHeard: Double
    }

    /// Seconds a worker may take to say it is ready before it is given up.
    static let startLimit: TimeAmount = .seconds(30)
    /// How often a ready worker is asked whether it still listens, and how
    /// long it may stay silent (a stopped or hung worker) before it is given
    /// up with its units: longer than `NodeWatch` takes to call a node that
    /// went silent lost, which says so more plainly.
    static let pingInterval: TimeAmount = .seconds(2)
    static let silenceLimit = 10.0

    private let log: AgentLog
    private let eventLoop: EventLoop
    private let events: Events
    private var workers: [Int: Worker] = [:]
    /// Launchers not yet reaped, with their node.
    private var nodeOfLauncher: [pid_t: Int] = [:]
    private var pings: RepeatedTask?

    init(log: AgentLog, eventLoop: EventLoop, events: Events) {
        self.log = log
        self.eventLoop = eventLoop
        self.events = events
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        pings = eventLoop.scheduleRepeatedTask(initialDelay: Self.pingInterval, delay: Self.pingInterval) { _ in
            bound.value.checkReadyWorkers()
        }
    }

    /// Gives up ready workers silent for too long; asks the others to answer.
    private func checkReadyWorkers() {
        let now = WallClock.monotonic()
        for (node, worker) in workers where worker.ready {
            if now - worker.lastHeard > Self.silenceLimit {
                finish(node, because: "it did not answer for \(Int(Self.silenceLimit)) s")
            } else {
                worker.channel?.writeAndFlush(WorkerCommand.ping, promise: nil)
            }
        }
    }

    /// Starts node `node`'s worker (named `name`) by running `arguments`.
    func start(node: Int, name: String, arguments: [String]) {
        let request = SpawnRequest(arguments: arguments, environment: Environment.current(), workingDirectory: nil,
                                   input: nil, output: "", error: "")
        let process: ConnectedProcess
        switch ProcessSpawner.spawnConnected(request) {
        case .success(let started): process = started
        case .failure(let failure): return gaveUp(name, failure.reason)
        }
        let launcher = process.pid
        workers[node] = Worker(name: name, launcher: launcher, began: WallClock.monotonic(), lastHeard: WallClock.monotonic())
        nodeOfLauncher[launcher] = node
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        NIOPipeBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addLinkHandlers(
                        reading: WorkerReport.self, writing: WorkerCommand.self,
                        then: NodeWorkerLink(node: node, workers: bound.value))
                }
            }
            .takingOwnershipOfDescriptors(input: process.read, output: process.write)
            .whenFailure { error in bound.value.finish(node, because: "its pipes cannot be used: \(error)") }
        eventLoop.scheduleTask(in: Self.startLimit) {
            if let worker = bound.value.workers[node], !worker.ready, worker.launcher == launcher {
                bound.value.finish(node, because: "it was not ready within \(Self.startLimit.nanoseconds / 1_000_000_000) s")
            }
        }
    }

    /// Whether units on node `node` go to its worker.
    func isReady(_ node: Int) -> Bool {
        workers[node]?.ready == true
    }

    /// Sends `command` to node `node`'s worker (dropped if it has none).
    func send(_ command: WorkerCommand, to node: Int) {
        workers[node]?.channel?.writeAndFlush(command, promise: nil)
    }

    /// A report from node `node`'s worker.
    func received(_ report: WorkerReport, from node: Int) {
        workers[node]?.lastHeard = WallClock.monotonic()
        switch report {
        case .alive:
            break
        case .ready(let host, let pid):
            guard let worker = workers[node], !worker.ready else { return }
            workers[node]?.ready = true
            let milliseconds = Int((WallClock.monotonic() - worker.began) * 1000)
            log.info("node worker on \(worker.name) ready after \(milliseconds) ms (\(host), pid \(pid)): units there start without an srun or ssh each")
        case .started, .notStarted, .exited:
            events.report(node, report)
        case .chunk(let chunk):
            guard let waiting = reads[chunk.request], waiting.node == node else { return }
            reads[chunk.request] = nil
            waiting.answer(chunk)
        }
    }

    /// Asks node `node`'s worker for what `read` names; `answer` gets the
    /// chunk, or a problem when the node has no ready worker or it ends first.
    func read(_ read: FileRead, on node: Int, answer: @escaping (FileChunk) -> Void) {
        guard isReady(node) else {
            answer(FileChunk(request: read.request, bytes: [], size: 0,
                             problem: "\(read.path) is on a node of this pilot without a node worker; its agent cannot read it"))
            return
        }
        if let earlier = reads.removeValue(forKey: read.request) {
            earlier.answer(FileChunk(request: read.request, bytes: [], size: 0, problem: "a newer read took its request number"))
        }
        reads[read.request] = (node, answer)
        send(.read(read), to: node)
    }

    /// Answers the reads sent to node `node`'s worker, which has gone.
    private func abandonReads(of node: Int, because reason: String) {
        for (request, waiting) in reads where waiting.node == node {
            reads[request] = nil
            waiting.answer(FileChunk(request: request, bytes: [], size: 0, problem: "the node worker ended before it answered (\(reason))"))
        }
    }

    /// Child `pid` ended; true if it was a worker's launcher.
    func launcherEnded(_ pid: pid_t, status: Int32) -> Bool {
        guard let node = nodeOfLauncher.removeValue(forKey: pid) else { return false }
        if workers[node]?.launcher == pid { finish(node, because: "\(ExitStatus(waitStatus: status))") }
        return true
    }

    /// Node `node`'s frames are open on `channel` (before anything is read from them).
    func linkOpened(_ node: Int, on channel: Channel) {
        workers[node]?.channel = channel
    }

    /// Node `node`'s frames ended.
    func linkEnded(_ node: Int, because reason: String) {
        finish(node, because: reason)
    }

    /// Node `node` is lost: its worker is stopped without a word about its units.
    func forget(_ node: Int) {
        guard let worker = workers.removeValue(forKey: node) else { return }
        stop(worker)
        abandonReads(of: node, because: "its node was lost")
    }

    /// Ends node `node`'s worker once; its units (if it ran any) end with it.
    private func finish(_ node: Int, because reason: String) {
        guard let worker = workers.removeValue(forKey: node) else { return }
        stop(worker)
        abandonReads(of: node, because: reason)
        if worker.ready {
            let sentence = "the node worker on \(worker.name) ended (\(reason))"
            log.error("\(sentence); units there now start with an srun or ssh each")
            events.ended(node, sentence)
        } else {
            gaveUp(worker.name, reason)
        }
    }

    private func stop(_ worker: Worker) {
        worker.channel?.close(promise: nil)
        ProcessSpawner.signalGroup(worker.launcher, SIGKILL)
    }

    private func gaveUp(_ name: String, _ reason: String) {
        log.error("no node worker on \(name): \(reason); units there start with an srun or ssh each")
    }
}

/// One node worker's frames, handed to `NodeWorkers`.
final class NodeWorkerLink: ChannelInboundHandler {
    typealias InboundIn = WorkerReport

    private let node: Int
    private let workers: NodeWorkers
    private var reason = "its output ended"

    init(node: Int, workers: NodeWorkers) {
        self.node = node
        self.workers = workers
    }

    func channelActive(context: ChannelHandlerContext) {
        workers.linkOpened(node, on: context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        workers.received(Self.unwrapInboundIn(data), from: node)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        reason = "its output is not a worker's frames (\(error)); does a login script on the node print something?"
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        workers.linkEnded(node, because: reason)
    }
}
