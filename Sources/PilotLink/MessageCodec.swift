import FoundationEssentials
import NIOCore

/// Turns frames into `Inbound` messages and `Outbound` messages into frames,
/// as JSON. One codec serves both ends of the link with the types swapped.
public final class MessageCodec<Inbound: Decodable, Outbound: Encodable>: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = Inbound
    public typealias OutboundIn = Outbound
    public typealias OutboundOut = ByteBuffer

    private let decoder = JSONDecoder()
    private let encoder = JSONEncoder()

    /// Creates a codec.
    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        do {
            let message = try decoder.decode(Inbound.self, from: Data(frame.readableBytesView))
            context.fireChannelRead(Self.wrapInboundOut(message))
        } catch {
            context.fireErrorCaught(LinkError.malformedMessage("\(error)"))
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = Self.unwrapOutboundIn(data)
        do {
            let body = try encoder.encode(message)
            var frame = context.channel.allocator.buffer(capacity: body.count + 4)
            frame.writeInteger(UInt32(body.count))
            frame.writeBytes(body)
            context.write(Self.wrapOutboundOut(frame), promise: promise)
        } catch {
            promise?.fail(error)
            context.fireErrorCaught(error)
        }
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Installs framing and the JSON codec for a link that reads `Inbound`
    /// and writes `Outbound`, followed by `handler`.
    public func addLinkHandlers<Inbound: Decodable, Outbound: Encodable>(
        reading: Inbound.Type, writing: Outbound.Type, then handler: ChannelHandler
    ) throws {
        try addHandler(ByteToMessageHandler(FrameDecoder()))
        try addHandler(MessageCodec<Inbound, Outbound>())
        try addHandler(handler)
    }
}
