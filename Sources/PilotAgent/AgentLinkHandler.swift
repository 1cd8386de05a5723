import Glibc
import NIOCore
import PilotModel
import PilotSystem

/// The agent's end of the link: says hello, feeds units to the executor,
/// reports back in batches, keeps the heartbeat, and ends the agent when the
/// coordinator says so or goes silent.
final class AgentLinkHandler: ChannelInboundHandler {
    typealias InboundIn = CoordinatorMessage
    typealias OutboundOut = AgentMessage

    private let bootstrap: AgentBootstrap
    private let childSignal: Int32
    private let log: AgentLog
    private let finish: @Sendable (Int32) -> Void
    private var executor: UnitExecutor?
    private var reports: UnitReports?
    private var lastReceived = WallClock.monotonic()
    private var lastSent = WallClock.monotonic()
    private var heartbeat: RepeatedTask?
    private var ending = false
    private var exitStatus: Int32 = 0

    /// - Parameters:
    ///   - bootstrap: what the agent was told at start.
    ///   - childSignal: the signalfd for SIGCHLD (see `ChildSignal`).
    ///   - finish: exits the agent with a status; called once.
    init(bootstrap: AgentBootstrap, childSignal: Int32, log: AgentLog, finish: @escaping @Sendable (Int32) -> Void) {
        self.bootstrap = bootstrap
        self.childSignal = childSignal
        self.log = log
        self.finish = finish
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let eventLoop = context.eventLoop
        let reports = UnitReports(eventLoop: eventLoop) { [weak self] messages in
            for message in messages { channel.write(message, promise: nil) }
            channel.flush()
            self?.lastSent = WallClock.monotonic()
        }
        self.reports = reports
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: eventLoop)
        ChildExits.watch(childSignal, on: eventLoop) { pid, status in
            bound.value.executor?.reaped(pid, status: status)
        }.whenFailure { error in
            bound.value.end(context: boundContext.value, status: 1, because: "cannot watch for exited units: \(error)")
        }
        let emulate = getenv(Agent.emulationVariable).map { String(cString: $0) == "1" } ?? false
        if emulate { log.info("benchmark emulation (\(Agent.emulationVariable)=1): units sleep their duration and run nothing") }
        executor = UnitExecutor(
            slots: bootstrap.slots, report: reports,
            stopped: { eventLoop.execute { bound.value.stopped(channel: channel) } },
            eventLoop: eventLoop, emulate: emulate)
        let hello = AgentHello(
            pilotID: bootstrap.pilotID, token: bootstrap.token, protocolVersion: WireProtocol.version,
            host: FileSystem.hostName(), pid: getpid(), slots: bootstrap.slots)
        context.writeAndFlush(Self.wrapOutboundOut(.hello(hello)), promise: nil)
        let interval = TimeAmount.nanoseconds(Int64(bootstrap.heartbeatInterval * 1e9))
        heartbeat = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.beat(context: boundContext.value)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastReceived = WallClock.monotonic()
        switch Self.unwrapInboundIn(data) {
        case .welcome:
            log.info("linked to coordinator as \(bootstrap.pilotID) with \(bootstrap.slots) slots")
        case .rejected(let reason):
            end(context: context, status: 2, because: "coordinator refused this agent: \(reason)")
        case .run(let tasks):
            executor?.enqueue(tasks)
        case .cancel(let ids):
            executor?.cancel(ids)
        case .shutdown(let reason):
            log.info("shutting down: \(reason)")
            stopAll(context: context, status: 0)
        case .heartbeat:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !ending else { return }
        end(context: context, status: 3, because: "link to the coordinator closed")
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        log.error("link error: \(error)")
        end(context: context, status: 3, because: "link error")
    }

    private func beat(context: ChannelHandlerContext) {
        let now = WallClock.monotonic()
        if now - lastReceived > bootstrap.heartbeatTimeout {
            end(context: context, status: 3, because: "no word from the coordinator for \(Int(now - lastReceived)) s")
            return
        }
        if now - lastSent >= bootstrap.heartbeatInterval * 0.9 {
            context.writeAndFlush(Self.wrapOutboundOut(.heartbeat), promise: nil)
            lastSent = now
        }
    }

    /// Every unit is gone: send the last reports, then exit.
    private func stopped(channel: Channel) {
        reports?.flush()
        heartbeat?.cancel()
        let finish = finish
        let status = exitStatus
        // Writes complete in order: once this one has, every report is out.
        channel.writeAndFlush(AgentMessage.heartbeat).whenComplete { _ in
            channel.close().whenComplete { _ in finish(status) }
        }
    }

    /// Stops every unit, then exits with `status` (see `stopped`). Units that
    /// are never reaped cannot keep the agent alive: a timer ends it.
    private func stopAll(context: ChannelHandlerContext, status: Int32) {
        guard !ending else { return }
        ending = true
        exitStatus = status
        guard let executor else {
            finish(status)
            return
        }
        executor.stopAll()
        let finish = finish
        context.eventLoop.scheduleTask(in: .seconds(5)) { finish(status) }
    }

    private func end(context: ChannelHandlerContext, status: Int32, because reason: String) {
        log.error(reason)
        stopAll(context: context, status: status)
    }
}
