import NIOCore
import PilotModel

/// The coordinator's end of one agent link: admits the agent, passes its
/// reports on, keeps the heartbeat, and reports the link's end exactly once.
final class CoordinatorLinkHandler: ChannelInboundHandler {
    typealias InboundIn = AgentMessage
    typealias OutboundOut = CoordinatorMessage

    private let delegate: AgentLinkDelegate
    private var pilotID: String?
    private var lastReceived = WallClock.monotonic()
    private var lastSent = WallClock.monotonic()
    private var heartbeat: RepeatedTask?
    private var lossReason: String?

    init(delegate: AgentLinkDelegate) {
        self.delegate = delegate
    }

    func channelActive(context: ChannelHandlerContext) {
        let (interval, timeout) = delegate.heartbeat
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let period = TimeAmount.nanoseconds(Int64(interval * 1e9))
        heartbeat = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            bound.value.beat(context: boundContext.value, timeout: timeout, interval: interval)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastReceived = WallClock.monotonic()
        let message = Self.unwrapInboundIn(data)
        guard let pilotID else {
            guard case .hello(let hello) = message else {
                lose(context: context, reason: "agent spoke before saying hello")
                return
            }
            let answer = delegate.admit(hello, on: context.channel)
            context.writeAndFlush(Self.wrapOutboundOut(answer), promise: nil)
            lastSent = WallClock.monotonic()
            if case .welcome = answer {
                self.pilotID = hello.pilotID
            } else {
                context.close(promise: nil)
            }
            return
        }
        delegate.received(message, from: pilotID)
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeat?.cancel()
        if let pilotID { delegate.linkLost(pilotID, reason: lossReason ?? "agent link closed") }
        pilotID = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        lose(context: context, reason: "agent link error: \(error)")
    }

    private func beat(context: ChannelHandlerContext, timeout: Double, interval: Double) {
        let now = WallClock.monotonic()
        if now - lastReceived > timeout {
            let silence = String(Int((now - lastReceived).rounded()))
            lose(context: context, reason: pilotID == nil
                ? "no hello within \(silence) s"
                : "no heartbeat from the agent for \(silence) s")
            return
        }
        if pilotID != nil && now - lastSent >= interval * 0.9 {
            context.writeAndFlush(Self.wrapOutboundOut(.heartbeat), promise: nil)
            lastSent = now
        }
    }

    private func lose(context: ChannelHandlerContext, reason: String) {
        if lossReason == nil { lossReason = reason }
        context.close(promise: nil)
    }
}
