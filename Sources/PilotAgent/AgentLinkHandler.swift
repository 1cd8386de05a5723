import Glibc
import NIOCore
import PilotModel
import PilotSystem

/// The agent's end of one link: says hello, hands messages to the runtime,
/// keeps the heartbeat, and reports the link's end (closed, failed, or the
/// coordinator silent past the timeout) once.
final class AgentLinkHandler: ChannelInboundHandler {
    typealias InboundIn = CoordinatorMessage
    typealias OutboundOut = AgentMessage

    private let runtime: AgentRuntime
    private var lastReceived = WallClock.monotonic()
    private var heartbeat: RepeatedTask?
    private var lossReason: String?

    init(runtime: AgentRuntime) {
        self.runtime = runtime
    }

    func channelActive(context: ChannelHandlerContext) {
        let bootstrap = runtime.bootstrap
        let hello = AgentHello(
            pilotID: bootstrap.pilotID, token: bootstrap.token, protocolVersion: WireProtocol.version,
            host: FileSystem.hostName(), pid: getpid(), slots: bootstrap.slots)
        context.writeAndFlush(Self.wrapOutboundOut(.hello(hello)), promise: nil)
        runtime.lastSent = WallClock.monotonic()
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let interval = TimeAmount.nanoseconds(Int64(bootstrap.heartbeatInterval * 1e9))
        heartbeat = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.beat(context: boundContext.value)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastReceived = WallClock.monotonic()
        let message = Self.unwrapInboundIn(data)
        if case .welcome = message { runtime.linked(context.channel) }
        runtime.received(message)
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeat?.cancel()
        runtime.linkLost(lossReason ?? "link to the coordinator closed")
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        lose(context: context, reason: "link error: \(error)")
    }

    private func beat(context: ChannelHandlerContext) {
        let silence = WallClock.monotonic() - lastReceived
        if silence > runtime.bootstrap.heartbeatTimeout {
            lose(context: context, reason: "no word from the coordinator for \(Int(silence)) s")
            return
        }
        runtime.idle()
    }

    private func lose(context: ChannelHandlerContext, reason: String) {
        if lossReason == nil { lossReason = reason }
        context.close(promise: nil)
    }
}
