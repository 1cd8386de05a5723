import NIOCore

/// The primitives of the binary link encoding: integers big-endian,
/// strings and lists with a 32-bit count first, optionals with a 0/1 flag.
/// Reading never traps: a short or inconsistent frame throws
/// `LinkError.malformedMessage`, and no count can make the reader reserve
/// more than the frame holds.
package struct WireReader {
    private var buffer: ByteBuffer

    /// Reads from `buffer` (one whole frame).
    package init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// Fails unless the whole frame was read.
    package func finish() throws {
        guard buffer.readableBytes == 0 else {
            throw LinkError.malformedMessage("\(buffer.readableBytes) bytes left over after the message")
        }
    }

    mutating func tag(_ what: String) throws -> UInt8 {
        try integer(UInt8.self, what)
    }

    mutating func integer<Value: FixedWidthInteger>(_ type: Value.Type, _ what: String) throws -> Value {
        guard let value = buffer.readInteger(as: Value.self) else { throw Self.short(what) }
        return value
    }

    mutating func int(_ what: String) throws -> Int {
        guard let value = Int(exactly: try integer(Int64.self, what)) else { throw Self.short(what) }
        return value
    }

    mutating func double(_ what: String) throws -> Double {
        Double(bitPattern: try integer(UInt64.self, what))
    }

    mutating func bool(_ what: String) throws -> Bool {
        switch try tag(what) {
        case 0: false
        case 1: true
        case let other: throw LinkError.malformedMessage("\(what): \(other) is not a boolean")
        }
    }

    mutating func string(_ what: String) throws -> String {
        let length = Int(try integer(UInt32.self, what))
        guard let text = buffer.readString(length: length) else { throw Self.short(what) }
        return text
    }

    mutating func bytes(_ what: String) throws -> [UInt8] {
        let length = Int(try integer(UInt32.self, what))
        guard let bytes = buffer.readBytes(length: length) else { throw Self.short(what) }
        return bytes
    }

    mutating func optional<Value>(_ what: String, _ read: (inout WireReader) throws -> Value) throws -> Value? {
        try bool(what) ? try read(&self) : nil
    }

    mutating func list<Element>(_ what: String, _ read: (inout WireReader) throws -> Element) throws -> [Element] {
        let count = Int(try integer(UInt32.self, what))
        // Every element takes at least one byte: a larger count is a lie.
        guard count <= buffer.readableBytes else { throw Self.short(what) }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try read(&self)) }
        return elements
    }

    private static func short(_ what: String) -> LinkError {
        LinkError.malformedMessage("the frame ends inside \(what)")
    }
}

/// Writes the encoding `WireReader` reads.
package struct WireWriter {
    /// What has been written so far.
    package var buffer: ByteBuffer

    /// Appends to `buffer`.
    package init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    mutating func tag(_ value: UInt8) {
        buffer.writeInteger(value)
    }

    mutating func integer<Value: FixedWidthInteger>(_ value: Value) {
        buffer.writeInteger(value)
    }

    mutating func int(_ value: Int) {
        buffer.writeInteger(Int64(value))
    }

    mutating func double(_ value: Double) {
        buffer.writeInteger(value.bitPattern)
    }

    mutating func bool(_ value: Bool) {
        buffer.writeInteger(UInt8(value ? 1 : 0))
    }

    mutating func string(_ value: String) {
        // The length goes first; it is known only after the bytes are written.
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        let written = buffer.writeString(value)
        buffer.setInteger(UInt32(written), at: lengthIndex)
    }

    mutating func bytes(_ value: [UInt8]) {
        integer(UInt32(value.count))
        buffer.writeBytes(value)
    }

    mutating func optional<Value>(_ value: Value?, _ write: (inout WireWriter, Value) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func list<Element>(_ elements: [Element], _ write: (inout WireWriter, Element) -> Void) {
        integer(UInt32(elements.count))
        for element in elements { write(&self, element) }
    }
}

extension WireReader {
    /// Reads an enum sent as its 32-bit raw value; an unknown value is a malformed frame.
    mutating func enumeration<Value: RawRepresentable>(_ type: Value.Type, _ what: String) throws -> Value
    where Value.RawValue == Int32 {
        let raw = try integer(Int32.self, what)
        guard let value = Value(rawValue: raw) else { throw LinkError.malformedMessage("unknown \(what) \(raw)") }
        return value
    }
}

extension WireWriter {
    /// Writes an enum as its 32-bit raw value.
    mutating func enumeration<Value: RawRepresentable>(_ value: Value) where Value.RawValue == Int32 {
        integer(value.rawValue)
    }
}
