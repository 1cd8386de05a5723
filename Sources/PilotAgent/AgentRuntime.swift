import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotSystem

/// What outlives one link to the coordinator: the executor and its units,
/// the reports, and the decision to link again or stop. Confined to the
/// agent's single event loop (links run on the same loop).
///
/// When the link is lost and the bootstrap grants a reconnect grace (a
/// served coordinator, which can be restarted), units keep running and the
/// agent tries to link again every half second; once linked, it sends the
/// finished records the coordinator has not acknowledged and its inventory.
/// Past the grace, or with none, it stops every unit and exits.
final class AgentRuntime {
    let bootstrap: AgentBootstrap
    let log: AgentLog
    private let eventLoop: EventLoop
    private let childSignal: Int32
    private let finish: @Sendable (Int32) -> Void
    private var executor: UnitExecutor?
    private var nodeWatch: NodeWatch?
    private(set) var reports: UnitReports?
    private var channel: Channel?
    private var everLinked = false
    private var reconnectDeadline: Double?
    private var ending = false
    private var exitStatus: Int32 = 0
    /// When a report or heartbeat last went out on the link.
    var lastSent = WallClock.monotonic()

    /// Where the coordinator is, in the order tried (`LinkTargets.forAgent`).
    let targets: [LinkTarget]

    init(bootstrap: AgentBootstrap, targets: [LinkTarget], log: AgentLog, eventLoop: EventLoop, childSignal: Int32,
         finish: @escaping @Sendable (Int32) -> Void) {
        self.bootstrap = bootstrap
        self.targets = targets
        self.log = log
        self.eventLoop = eventLoop
        self.childSignal = childSignal
        self.finish = finish
    }

    /// Starts watching children and creates the executor. Call once, on the loop.
    func start() {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let reports = UnitReports(eventLoop: eventLoop, keepsUntilAcknowledged: bootstrap.reconnectGrace > 0) { messages in
            bound.value.send(messages)
        }
        self.reports = reports
        ChildExits.watch(childSignal, on: eventLoop) { pid, status in
            bound.value.executor?.reaped(pid, status: status)
        }.whenFailure { error in
            bound.value.end(status: 1, because: "cannot watch for exited units: \(error)")
        }
        let emulate = Environment.value(Agent.emulationVariable) == "1"
        if emulate { log.info("benchmark emulation (\(Agent.emulationVariable)=1): units sleep their duration and run nothing") }
        let allocation = emulate
            ? Allocation(nodes: [Allocation.Node(name: FileSystem.hostName(), slots: bootstrap.slots)], source: .thisHost)
            : discoverAllocation()
        executor = UnitExecutor(
            allocation: allocation, launchMethod: bootstrap.launchMethod ?? .auto, report: reports,
            stopped: { bound.value.eventLoop.execute { bound.value.stopped() } },
            eventLoop: eventLoop, emulate: emulate, log: log)
        if allocation.nodes.count > 1 {
            let watch = NodeWatch(names: allocation.nodes.map(\.name), eventLoop: eventLoop, unprobed: { bound.value.log.info($0) }) { node, reason in
                bound.value.log.error("\(reason); its units end, the pilot goes on with the other nodes")
                bound.value.executor?.lose(node: node, reason: reason)
            }
            watch.start()
            nodeWatch = watch
        }
    }

    /// The nodes units run on, as the resource manager granted them to the
    /// agent's job (logged), limited to the pilot's slots; this host alone
    /// if the manager's description cannot be read.
    private func discoverAllocation() -> Allocation {
        let host = FileSystem.hostName()
        switch Allocation.discover(environment: Environment.value, slots: bootstrap.slots, hostName: host, read: FileSystem.read) {
        case .success(let found):
            if found.slots < bootstrap.slots {
                log.error("the \(found.source.rawValue) allocation has \(found.slots) cores, fewer than the pilot's \(bootstrap.slots) slots")
            }
            let allocation = found.limited(to: bootstrap.slots)
            let nodes = allocation.nodes.map { "\($0.name) (\($0.slots))" }.joined(separator: ", ")
            log.info("allocation from \(allocation.source.rawValue): \(nodes)")
            return allocation
        case .failure(let error):
            log.error("\(error.reason); running units on this host only")
            return Allocation(nodes: [Allocation.Node(name: host, slots: bootstrap.slots)], source: .thisHost)
        }
    }

    /// Connects a new link to the first of the coordinator's addresses that answers.
    func connect() -> EventLoopFuture<Channel> {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let service = LinkService(reading: CoordinatorMessage.self, writing: AgentMessage.self) { AgentLinkHandler(runtime: bound.value) }
        return LinkTarget.connect(first: targets, on: eventLoop, service: service)
    }

    /// The coordinator welcomed the agent on `channel`.
    func linked(_ channel: Channel) {
        self.channel = channel
        reconnectDeadline = nil
        if everLinked, let executor, let reports {
            log.info("linked to the coordinator again; reporting what this agent holds")
            let (running, queued) = executor.inventory
            reports.relinked(inventory: .inventory(running: running, queued: queued))
        } else {
            var peer = bootstrap.socketPath
            if let address = channel.remoteAddress, let ip = address.ipAddress, let port = address.port { peer = "\(ip):\(port) over TCP" }
            if channel.remoteAddress == nil, let relay = bootstrap.relay { peer = "127.0.0.1:\(relay.port) of \(relay.login) through ssh" }
            log.info("linked to the coordinator at \(peer) as \(bootstrap.pilotID) with \(bootstrap.slots) slots")
        }
        everLinked = true
        reports?.flush()
        send([])
    }

    /// Applies a message from the coordinator.
    func received(_ message: CoordinatorMessage) {
        switch message {
        case .welcome, .heartbeat, .challenge:
            break
        case .rejected(let reason):
            end(status: 2, because: "coordinator refused this agent: \(reason)")
        case .acknowledged(let count):
            reports?.acknowledged(count)
        case .run(let tasks):
            executor?.enqueue(tasks)
        case .cancel(let ids):
            executor?.cancel(ids)
        case .shutdown(let reason):
            log.info("shutting down: \(reason)")
            stopAll(status: 0)
        case .read(let read):
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            var elsewhere: (@Sendable (FileRead) -> Void)?
            if let node = read.node, node != FileSystem.hostName() {
                elsewhere = { read in bound.value.readThroughWorker(read, node: node) }
            }
            FileReads.serve(read, on: eventLoop, elsewhere: elsewhere) { chunk in bound.value.send([.chunk(chunk)]) }
        }
    }

    /// Reads a file that is not on this node from node `node`'s worker.
    private func readThroughWorker(_ read: FileRead, node: String) {
        guard let executor else { return send([.chunk(FileChunk(request: read.request, bytes: [], size: 0, problem: "the agent is stopping"))]) }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        executor.read(read, onNode: node) { chunk in bound.value.send([.chunk(chunk)]) }
    }

    /// The link ended (closed, failed or silent).
    func linkLost(_ reason: String) {
        channel = nil
        guard !ending else { return }
        guard everLinked, bootstrap.reconnectGrace > 0 else {
            end(status: 3, because: reason)
            return
        }
        if reconnectDeadline == nil {
            reconnectDeadline = WallClock.monotonic() + bootstrap.reconnectGrace
            log.error("\(reason); units keep running; linking again for up to \(Int(bootstrap.reconnectGrace)) s")
        }
        retryLink()
    }

    private func retryLink() {
        guard let deadline = reconnectDeadline, !ending else { return }
        guard WallClock.monotonic() < deadline else {
            end(status: 3, because: "the coordinator did not come back within \(Int(bootstrap.reconnectGrace)) s")
            return
        }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: .milliseconds(500)) {
            bound.value.connect().whenFailure { _ in bound.value.retryLink() }
        }
    }

    /// Sends a heartbeat when the link has been idle.
    func idle() {
        guard WallClock.monotonic() - lastSent >= bootstrap.heartbeatInterval * 0.9 else { return }
        send([.heartbeat])
    }

    private func send(_ messages: [AgentMessage]) {
        guard let channel else { return }
        let lines = log.unsent.take()
        guard !lines.isEmpty || !messages.isEmpty else { return }
        if !lines.isEmpty { channel.write(AgentMessage.log(lines), promise: nil) }
        for message in messages { channel.write(message, promise: nil) }
        channel.flush()
        lastSent = WallClock.monotonic()
    }

    /// Every unit is gone: send the last reports, then exit.
    private func stopped() {
        reports?.flush()
        let finish = finish
        let status = exitStatus
        guard let channel else {
            finish(status)
            return
        }
        // Writes complete in order: once this one has, every report is out.
        channel.writeAndFlush(AgentMessage.heartbeat).whenComplete { _ in
            channel.close().whenComplete { _ in finish(status) }
        }
    }

    /// Stops every unit, then exits with `status` (see `stopped`). Units that
    /// are never reaped cannot keep the agent alive: a timer ends it.
    private func stopAll(status: Int32) {
        guard !ending else { return }
        ending = true
        exitStatus = status
        nodeWatch?.stop()
        guard let executor else {
            finish(status)
            return
        }
        executor.stopAll()
        let finish = finish
        eventLoop.scheduleTask(in: .seconds(5)) { finish(status) }
    }

    /// Logs `reason` and stops (see `stopAll`).
    func end(status: Int32, because reason: String) {
        log.error(reason)
        stopAll(status: status)
    }
}
