import NIOCore
import XCTest

@testable import PilotLink

/// The binary form of `message`.
func encode<Message: WireMessage>(_ message: Message) -> ByteBuffer {
    var writer = WireWriter(ByteBuffer())
    message.write(to: &writer)
    return writer.buffer
}

/// Reads one whole message of type `Message` from `buffer`.
func decode<Message: WireMessage>(_ buffer: ByteBuffer, as type: Message.Type) throws -> Message {
    var reader = WireReader(buffer)
    let message = try Message(from: &reader)
    try reader.finish()
    return message
}

/// Every proper prefix of the encoding of each message must be an error.
func assertEveryPrefixFails<Message: WireMessage>(_ messages: [Message], file: StaticString = #filePath, line: UInt = #line) {
    for message in messages {
        let whole = encode(message)
        for length in 0..<whole.readableBytes {
            let cut = whole.getSlice(at: 0, length: length) ?? ByteBuffer()
            XCTAssertThrowsError(try decode(cut, as: Message.self), "\(message) cut at \(length)", file: file, line: line)
        }
    }
}
