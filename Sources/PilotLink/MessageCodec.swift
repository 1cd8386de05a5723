import NIOCore

/// Turns frames into `Inbound` messages and `Outbound` messages into frames
/// (a 4-byte length, then the binary encoding of `WireMessage`). One codec
/// serves both ends of the link with the types swapped.
package final class MessageCodec<Inbound: WireMessage, Outbound: WireMessage>: ChannelDuplexHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = Inbound
    package typealias OutboundIn = Outbound
    package typealias OutboundOut = ByteBuffer

    /// Creates a codec.
    package init() {}

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var reader = WireReader(Self.unwrapInboundIn(data))
        do {
            let message = try Inbound(from: &reader)
            try reader.finish()
            context.fireChannelRead(Self.wrapInboundOut(message))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var writer = WireWriter(context.channel.allocator.buffer(capacity: 256))
        writer.integer(UInt32(0))
        Self.unwrapOutboundIn(data).write(to: &writer)
        var frame = writer.buffer
        frame.setInteger(UInt32(frame.readableBytes - 4), at: frame.readerIndex)
        context.write(Self.wrapOutboundOut(frame), promise: promise)
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Installs framing and the codec for a link that reads `Inbound` and
    /// writes `Outbound`, followed by `handler`.
    package func addLinkHandlers<Inbound: WireMessage, Outbound: WireMessage>(
        reading: Inbound.Type, writing: Outbound.Type, then handler: ChannelHandler
    ) throws {
        try addHandler(ByteToMessageHandler(FrameDecoder()))
        try addHandler(MessageCodec<Inbound, Outbound>())
        try addHandler(handler)
    }
}
