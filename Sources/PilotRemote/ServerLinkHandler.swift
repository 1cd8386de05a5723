import NIOCore
import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem

/// The served coordinator's end of one client link: checks the session
/// secret in the first call, then carries out calls (blocking ones on a
/// thread of their own) and streams events when asked.
final class ServerLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ClientRequest
    typealias OutboundOut = ServerMessage

    private let coordinator: Coordinator
    private let secret: String
    /// Writes from other threads go through it (see `WriteGate`).
    private let gate: WriteGate
    private var admitted = false
    private var subscription: UInt64?
    private var heartbeat: RepeatedTask?

    init(coordinator: Coordinator, secret: String, gate: WriteGate) {
        self.coordinator = coordinator
        self.secret = secret
        self.gate = gate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = Self.unwrapInboundIn(data)
        let channel = context.channel
        guard admitted else {
            let reply = admit(request.call)
            context.writeAndFlush(Self.wrapOutboundOut(.reply(serial: request.serial, reply)), promise: nil)
            if case .failure = reply {
                context.close(promise: nil)
            } else {
                let interval = TimeAmount.seconds(ClientProtocol.heartbeatInterval)
                heartbeat = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                    channel.writeAndFlush(ServerMessage.heartbeat, promise: nil)
                }
            }
            return
        }
        switch request.call {
        case .hello:
            Self.reply(.failure(PilotError(.invalidState, "this link has said hello already")), to: request, on: channel)
        case .events(let wanted):
            streamEvents(wanted, on: channel)
            Self.reply(.done, to: request, on: channel)
        case let call where call.mayBlock:
            let coordinator = coordinator
            let gate = gate
            let started = startThread { gate.write(.reply(serial: request.serial, call.perform(on: coordinator)), on: channel) }
            if !started {
                Self.reply(.failure(PilotError(.internal, "the coordinator cannot start a thread for this call; try again")), to: request, on: channel)
            }
        case let call:
            Self.reply(call.perform(on: coordinator), to: request, on: channel)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeat?.cancel()
        streamEvents(false, on: context.channel)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func admit(_ call: ClientCall) -> ClientReply {
        guard case .hello(let offered, let version) = call else {
            return .failure(PilotError(.denied, "the first call on a link must be hello with the session secret"))
        }
        guard Secret.matches(offered, secret) else {
            return .failure(PilotError(.denied, "wrong session secret; only the user who started the coordinator may use it"))
        }
        guard version == ClientProtocol.version else {
            return .failure(PilotError(.unsupported, "client speaks protocol \(version), coordinator \(ClientProtocol.version); use libpilot and pilotctl from the same build"))
        }
        admitted = true
        return .welcome(sessionID: coordinator.sessionID)
    }

    /// Starts or stops forwarding the session's events to this link. The
    /// subscription ends off the event loop: unsubscribing waits for a
    /// running handler.
    private func streamEvents(_ wanted: Bool, on channel: Channel) {
        if wanted, subscription == nil {
            let gate = gate
            subscription = try? coordinator.subscribe { event in gate.write(.event(event), on: channel) }
        } else if !wanted, let subscription {
            self.subscription = nil
            let coordinator = coordinator
            _ = startThread { try? coordinator.unsubscribe(subscription) }
        }
    }

    private static func reply(_ reply: ClientReply, to request: ClientRequest, on channel: Channel) {
        channel.writeAndFlush(ServerMessage.reply(serial: request.serial, reply), promise: nil)
    }
}
