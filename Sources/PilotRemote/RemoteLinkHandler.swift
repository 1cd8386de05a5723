import NIOCore
import PilotCoordinator
import PilotLink
import PilotModel

/// The client's end of its link to a served coordinator: hands replies to
/// the waiting calls and events to the local delivery thread.
final class RemoteLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ServerMessage

    private let calls: PendingCalls
    private let delivery: EventDelivery
    private var failure: String?

    init(calls: PendingCalls, delivery: EventDelivery) {
        self.calls = calls
        self.delivery = delivery
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .reply(let serial, let reply): calls.answer(serial, with: reply)
        case .event(let event): delivery.post([event])
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        calls.linkEnded(failure ?? "the connection closed")
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if failure == nil { failure = "link error: \(connectFailure(error))" }
        if let refusal = error as? SecureLinkError { calls.refused(refusal) }
        context.close(promise: nil)
    }
}
