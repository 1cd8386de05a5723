import NIOCore

/// Splits the byte stream into frames: a 4-byte big-endian length, then that
/// many bytes. A frame over `maximumFrameSize` closes the link with an error
/// instead of buffering without bound.
package struct FrameDecoder: ByteToMessageDecoder {
    package typealias InboundOut = ByteBuffer

    /// The largest frame accepted (64 MiB: a batch of many thousand units).
    package static let maximumFrameSize = 64 << 20

    /// Creates a decoder.
    package init() {}

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length <= Self.maximumFrameSize else { throw LinkError.frameTooLarge(Int(length)) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}

/// Faults of the link itself.
package enum LinkError: Error, Sendable {
    /// A peer announced a frame larger than `FrameDecoder.maximumFrameSize`.
    case frameTooLarge(Int)
    /// A frame did not hold a message of the expected shape.
    case malformedMessage(String)
}
