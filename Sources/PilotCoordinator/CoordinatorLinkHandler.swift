import NIOCore
import PilotLink
import PilotModel

/// The coordinator's end of one agent link: proves itself to the agent and
/// checks the agent's proof (`LinkProof`), admits it, passes its reports
/// on, acknowledges finished records once they are recorded, keeps the
/// heartbeat, and reports the link's end exactly once.
final class CoordinatorLinkHandler: ChannelInboundHandler {
    typealias InboundIn = AgentMessage
    typealias OutboundOut = CoordinatorMessage

    /// A hello answered with a challenge, waiting for the agent's proof.
    private struct Challenge {
        let hello: AgentHello
        let secret: String
        let nonce: String
    }

    private let delegate: AgentLinkDelegate
    private var challenge: Challenge?
    private var pilotID: String?
    /// This link's id in the coordinator, from the moment it opens.
    private var link: LinkID?
    /// Finished records received on this link (what acknowledgements count).
    private var finishedReceived = 0
    private var lastReceived = WallClock.monotonic()
    private var lastSent = WallClock.monotonic()
    private var heartbeat: RepeatedTask?
    private var lossReason: String?

    init(delegate: AgentLinkDelegate) {
        self.delegate = delegate
    }

    func channelActive(context: ChannelHandlerContext) {
        link = delegate.opened(ChannelAgentLink(channel: context.channel))
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
            handshake(message, context: context)
            return
        }
        delegate.received(message, from: pilotID)
        guard delegate.acknowledges, case .finished(let records) = message else { return }
        finishedReceived += records.count
        let count = finishedReceived
        let channel = context.channel
        delegate.whenRecorded { channel.writeAndFlush(CoordinatorMessage.acknowledged(count: count), promise: nil) }
    }

    /// hello → challenge (with the coordinator's proof) → the agent's proof → welcome.
    private func handshake(_ message: AgentMessage, context: ChannelHandlerContext) {
        switch (message, challenge) {
        case (.hello(let hello), nil):
            switch delegate.secret(for: hello) {
            case .success(let secret):
                let nonce = Secret.make()
                challenge = Challenge(hello: hello, secret: secret, nonce: nonce)
                let proof = LinkProof.make(.coordinator, secret: secret, agentNonce: hello.nonce, coordinatorNonce: nonce)
                answer(.challenge(nonce: nonce, proof: proof), context: context)
            case .failure(let refusal):
                refuse(refusal.reason, context: context)
            }
        case (.proof(let proof), let challenge?):
            guard LinkProof.verify(proof, .agent, secret: challenge.secret, agentNonce: challenge.hello.nonce,
                                   coordinatorNonce: challenge.nonce) else {
                refuse("wrong proof of the secret of pilot \(challenge.hello.pilotID)", context: context)
                return
            }
            guard let link else {
                lose(context: context, reason: "agent link was never opened")
                return
            }
            let verdict = delegate.admit(challenge.hello, on: link)
            answer(verdict, context: context)
            if case .welcome = verdict {
                pilotID = challenge.hello.pilotID
            } else {
                context.close(promise: nil)
            }
        default:
            lose(context: context, reason: "agent broke the handshake (hello, then proof)")
        }
    }

    private func answer(_ message: CoordinatorMessage, context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(message), promise: nil)
        lastSent = WallClock.monotonic()
    }

    /// Says why, logs it, and closes: a refused peer learns nothing else.
    private func refuse(_ reason: String, context: ChannelHandlerContext) {
        delegate.refused(reason)
        answer(.rejected(reason: reason), context: context)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeat?.cancel()
        if let link { delegate.closed(link, of: pilotID, reason: lossReason ?? "agent link closed") }
        link = nil
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
