import NIOCore
import PilotCoordinator
import PilotLink
import PilotModel

/// The client's end of its link to a served coordinator: hands replies to
/// the waiting calls and events to the local delivery thread, and closes
/// the link (failing every call) when the coordinator has sent nothing,
/// heartbeats included, for `ClientProtocol.silenceLimit` seconds.
final class RemoteLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ServerMessage

    private let calls: PendingCalls
    private let delivery: EventDelivery
    private var failure: String?
    private var lastHeard = WallClock.monotonic()
    private var watch: RepeatedTask?

    init(calls: PendingCalls, delivery: EventDelivery) {
        self.calls = calls
        self.delivery = delivery
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let channel = context.channel
        let interval = TimeAmount.seconds(ClientProtocol.heartbeatInterval)
        watch = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let handler = bound.value
            guard WallClock.monotonic() - handler.lastHeard > ClientProtocol.silenceLimit else { return }
            handler.failure = handler.failure ?? "it sent nothing for \(Int(ClientProtocol.silenceLimit)) s: stopped, hung or cut off"
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastHeard = WallClock.monotonic()
        switch Self.unwrapInboundIn(data) {
        case .reply(let serial, let reply): calls.answer(serial, with: reply)
        case .event(let event): delivery.post([event])
        case .heartbeat: break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch?.cancel()
        calls.linkEnded(failure ?? "the connection closed")
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if failure == nil { failure = "link error: \(connectFailure(error))" }
        if let refusal = error as? SecureLinkError { calls.refused(refusal) }
        context.close(promise: nil)
    }
}
