import NIOCore

/// Encrypts and authenticates a network link (`SecureHandshake`, then
/// `RecordCipher` records of a 4-byte length and a sealed chunk). Sits
/// first in the pipeline; the handlers above it read and write plain bytes
/// and see nothing until the peer has proved its key: writes made before
/// wait, and nothing a peer sends before is passed up. On the responder,
/// `SecureLinkOpened` tells the handlers above which role the peer proved.
package final class SecureLinkHandler: ChannelDuplexHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = ByteBuffer
    package typealias OutboundIn = ByteBuffer
    package typealias OutboundOut = ByteBuffer

    /// Which end this is.
    package enum Side: Sendable {
        /// Opens the link proving `key` (an agent, a client).
        case initiator(LinkKey)
        /// Accepts links of the roles of `keys`; `refused` is told (for the
        /// log) of every peer turned away, with its address.
        case responder(keys: [LinkKey], refused: @Sendable (String) -> Void)
    }

    private enum Phase {
        case awaitingHello
        case awaitingFinish(SecureHandshake.Responder)
        case awaitingReply(SecureHandshake.Initiator)
        case awaitingVerdict
        case open
        case closed
    }

    /// Seconds a peer has to finish the handshake.
    package static let handshakeTimeout: TimeAmount = .seconds(10)
    /// How long a refused peer's further bytes are read and dropped.
    static let drainTime: TimeAmount = .seconds(2)
    /// The largest plaintext sealed into one record.
    static let recordChunk = 256 << 10

    private let side: Side
    private var phase: Phase
    private var inbound: ByteBuffer?
    private var cipher: RecordCipher?
    private var mayWrite = false
    private var pending: [(ByteBuffer, EventLoopPromise<Void>?)] = []

    /// A handler for `side`.
    package init(_ side: Side) {
        self.side = side
        switch side {
        case .initiator(let key): phase = .awaitingReply(SecureHandshake.Initiator(key: key))
        case .responder: phase = .awaitingHello
        }
    }

    package func channelActive(context: ChannelHandlerContext) {
        if case .awaitingReply(let initiator) = phase {
            context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: initiator.hello)), promise: nil)
        }
        // Not cancelled when the handshake ends (a cancel scans all of the
        // loop's timers, slow under a flood of connections): it checks then.
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.handshakeTimeout) {
            let (handler, context) = bound.value
            switch handler.phase {
            case .open, .closed: return
            default: handler.fail(context: context, SecureLinkError.timedOut)
            }
        }
        context.fireChannelActive()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        if case .awaitingFinish = phase, case .responder(_, let refused) = side {
            // A client whose key differs sees our proof fail and leaves here.
            refused("\(Self.peer(context)) left before proving its key (a different key, or a scanner)")
        }
        phase = .closed
        for (_, promise) in pending { promise?.fail(ChannelError.ioOnClosedChannel) }
        pending = []
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if inbound == nil { inbound = bytes } else { inbound?.writeBuffer(&bytes) }
        do {
            while try step(context: context) {}
        } catch {
            fail(context: context, error)
        }
        inbound?.discardReadBytes()
    }

    /// Consumes one handshake message or record from `inbound`; false when
    /// more bytes are needed.
    private func step(context: ChannelHandlerContext) throws(SecureLinkError) -> Bool {
        guard var buffer = inbound, buffer.readableBytes > 0 else { return false }
        defer { inbound = buffer }
        switch phase {
        case .awaitingHello:
            let seen = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, SecureHandshake.magic.count)) ?? []
            guard SecureHandshake.magic.starts(with: seen) else { throw .notAPilotLink }
            guard case .responder(let keys, _) = side, let hello = buffer.readBytes(length: SecureHandshake.helloSize) else { return false }
            let responder = try SecureHandshake.Responder(hello: hello, keys: keys)
            context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: responder.reply)), promise: nil)
            phase = .awaitingFinish(responder)
        case .awaitingFinish(let responder):
            guard let finish = buffer.readBytes(length: SecureHandshake.finishSize) else { return false }
            cipher = try responder.verify(finish: finish)
            context.write(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: [0])), promise: nil)
            opened(context: context)
            context.fireUserInboundEventTriggered(SecureLinkOpened(role: responder.role))
        case .awaitingReply(let initiator):
            // An accepting reply is used whole; a refusal throws once complete.
            let accepting = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0
            guard !accepting || buffer.readableBytes > SecureHandshake.replySize else { return false }
            guard try Self.status(&buffer) != nil, let reply = buffer.readBytes(length: SecureHandshake.replySize) else { return false }
            let (finish, cipher) = try initiator.answer(reply)
            self.cipher = cipher
            context.write(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: finish)), promise: nil)
            phase = .awaitingVerdict
            mayWrite = true
            flushPending(context: context)
        case .awaitingVerdict:
            guard try Self.status(&buffer) != nil else { return false }
            phase = .open
        case .open:
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return false }
            guard Int(length) <= Self.recordChunk + RecordCipher.overhead else { throw .oversizedRecord(Int(length)) }
            guard buffer.readableBytes >= 4 + Int(length) else { return false }
            buffer.moveReaderIndex(forwardBy: 4)
            guard let record = buffer.readBytes(length: Int(length)), var cipher else { return false }
            let plaintext = try cipher.open(record)
            self.cipher = cipher
            context.fireChannelRead(Self.wrapInboundOut(context.channel.allocator.buffer(bytes: plaintext)))
        case .closed:
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return false
        }
        return true
    }

    /// Reads a status byte: 0 (accepted) is returned; 1 (refused) throws
    /// with its text once all of it is there; nil when more bytes are needed.
    private static func status(_ buffer: inout ByteBuffer) throws(SecureLinkError) -> UInt8? {
        guard let status = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        switch status {
        case 0:
            buffer.moveReaderIndex(forwardBy: 1)
            return 0
        case 1:
            guard let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt16.self) else { return nil }
            guard length <= SecureHandshake.maximumRefusal else { throw .malformed("a refusal of \(length) bytes is longer than any coordinator sends") }
            guard let bytes = buffer.getBytes(at: buffer.readerIndex + 3, length: Int(length)) else { return nil }
            // From a peer that has proved nothing: shown as plain text only.
            var text = String.UnicodeScalarView()
            text.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0.properties.generalCategory != .control })
            throw .refused(String(text))
        default:
            throw .malformed("unknown handshake status \(status)")
        }
    }

    private func opened(context: ChannelHandlerContext) {
        phase = .open
        mayWrite = true
        flushPending(context: context)
    }

    private func flushPending(context: ChannelHandlerContext) {
        let waiting = pending
        pending = []
        for (buffer, promise) in waiting { seal(buffer, context: context, promise: promise) }
        context.flush()
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = Self.unwrapOutboundIn(data)
        if mayWrite {
            seal(buffer, context: context, promise: promise)
        } else {
            pending.append((buffer, promise))
        }
    }

    package func flush(context: ChannelHandlerContext) {
        if mayWrite { context.flush() }
    }

    private func seal(_ plaintext: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        var plaintext = plaintext
        repeat {
            guard let chunk = plaintext.readBytes(length: min(plaintext.readableBytes, Self.recordChunk)), var cipher else { return }
            do {
                let record = try cipher.seal(chunk)
                self.cipher = cipher
                var framed = context.channel.allocator.buffer(capacity: 4 + record.count)
                framed.writeInteger(UInt32(record.count))
                framed.writeBytes(record)
                context.write(Self.wrapOutboundOut(framed), promise: plaintext.readableBytes == 0 ? promise : nil)
            } catch {
                promise?.fail(error)
                fail(context: context, error)
                return
            }
        } while plaintext.readableBytes > 0
    }

    /// Ends the link: a responder tells the peer why in clear (no id, no
    /// state) and logs it; an initiator passes the reason up.
    private func fail(context: ChannelHandlerContext, _ error: Error) {
        if case .closed = phase { return }
        let linkError = error as? SecureLinkError ?? .malformed("\(error)")
        let wasOpen: Bool
        if case .open = phase { wasOpen = true } else { wasOpen = false }
        phase = .closed
        switch side {
        case .responder(_, let refused):
            refused("\(wasOpen ? "closed the link of" : "refused") \(Self.peer(context)): \(linkError.message)")
            let channel = context.channel
            guard !wasOpen else { return channel.close(promise: nil) }
            // The refusal goes out, then our side closes for writing while
            // what the peer still sends is read and dropped for a moment:
            // closing with unread bytes would reset the connection and the
            // peer would never read why.
            let refusal = channel.allocator.buffer(bytes: SecureHandshake.refusal(Self.refusalText(linkError)))
            context.writeAndFlush(Self.wrapOutboundOut(refusal)).whenComplete { _ in channel.close(mode: .output, promise: nil) }
            context.eventLoop.scheduleTask(in: Self.drainTime) { channel.close(promise: nil) }
        case .initiator:
            context.fireErrorCaught(linkError)
            context.close(promise: nil)
        }
    }

    /// The peer's address as `ip:port`, for the log.
    private static func peer(_ context: ChannelHandlerContext) -> String {
        context.remoteAddress.flatMap { address in address.ipAddress.map { "\($0):\(address.port ?? 0)" } } ?? "a peer that left"
    }

    /// What a refused peer is told: enough to fix its side, nothing of the session.
    private static func refusalText(_ error: SecureLinkError) -> String {
        switch error {
        case .notAPilotLink: "this port serves pilot links only; connect with the pilot library, pilot-agent or pilotctl"
        case .unproven: "not admitted: the key you proved is not this session's; use the session's credentials file"
        default: error.message
        }
    }
}
