import Glibc
import NIOCore
import PilotLink
import PilotModel
import PilotSystem

/// The agent's end of one link: says hello, checks that the other end
/// knows the pilot's secret and proves that it does too (`LinkProof`),
/// hands messages to the runtime once welcomed, keeps the heartbeat, and
/// reports the link's end (closed, failed, refused, or the coordinator
/// silent past the timeout) once. Nothing from a peer that has not proved
/// itself reaches the runtime.
final class AgentLinkHandler: ChannelInboundHandler {
    typealias InboundIn = CoordinatorMessage
    typealias OutboundOut = AgentMessage

    private enum Phase {
        case greeted(nonce: String)
        case proved
        case linked
    }

    private let runtime: AgentRuntime
    private var phase = Phase.greeted(nonce: Secret.make())
    private var lastReceived = WallClock.monotonic()
    private var heartbeat: RepeatedTask?
    private var lossReason: String?

    init(runtime: AgentRuntime) {
        self.runtime = runtime
    }

    func channelActive(context: ChannelHandlerContext) {
        let bootstrap = runtime.bootstrap
        guard case .greeted(let nonce) = phase else { return }
        let hello = AgentHello(
            pilotID: bootstrap.pilotID, nonce: nonce, protocolVersion: WireProtocol.version,
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
        switch (phase, message) {
        case (.linked, _):
            runtime.received(message)
        case (.proved, .rejected(let reason)):
            // From a peer that proved it knows the secret: final.
            runtime.end(status: 2, because: "coordinator refused this agent: \(reason)")
        case (.greeted, .rejected(let reason)):
            // Anyone on the socket could say this: a lost link, not an order.
            lose(context: context, reason: "refused before the coordinator proved itself: \(reason)")
        case (.greeted(let nonce), .challenge(let theirs, let proof)):
            let secret = runtime.bootstrap.token
            guard LinkProof.verify(proof, .coordinator, secret: secret, agentNonce: nonce, coordinatorNonce: theirs) else {
                lose(context: context, reason: "the peer at \(context.remoteAddress?.description ?? runtime.bootstrap.socketPath) did not prove it knows this pilot's secret; took nothing from it")
                return
            }
            phase = .proved
            let ours = LinkProof.make(.agent, secret: secret, agentNonce: nonce, coordinatorNonce: theirs)
            context.writeAndFlush(Self.wrapOutboundOut(.proof(ours)), promise: nil)
        case (.proved, .welcome):
            phase = .linked
            runtime.linked(context.channel)
        default:
            lose(context: context, reason: "the peer at \(context.remoteAddress?.description ?? runtime.bootstrap.socketPath) broke the handshake; took nothing from it")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeat?.cancel()
        runtime.linkLost(lossReason ?? "link to the coordinator closed")
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        lose(context: context, reason: "link error: \(connectFailure(error))")
    }

    private func beat(context: ChannelHandlerContext) {
        let silence = WallClock.monotonic() - lastReceived
        if silence > runtime.bootstrap.heartbeatTimeout {
            lose(context: context, reason: "no word from the coordinator for \(Int(silence)) s")
            return
        }
        if case .linked = phase { runtime.idle() }
    }

    private func lose(context: ChannelHandlerContext, reason: String) {
        if lossReason == nil { lossReason = reason }
        context.close(promise: nil)
    }
}
