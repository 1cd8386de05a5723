import NIOCore
import PilotModel

extension JSONValue {
    /// Nesting deeper than this is refused when reading, as the JSON parser refuses it.
    static let maximumWireDepth = 512

    /// Appends the binary form: a tag byte, then the value.
    package func write(to writer: inout WireWriter) {
        switch self {
        case .null: writer.tag(0)
        case .bool(let value): writer.tag(1); writer.bool(value)
        case .int(let value): writer.tag(2); writer.integer(value)
        case .double(let value): writer.tag(3); writer.double(value)
        case .string(let value): writer.tag(4); writer.string(value)
        case .array(let elements):
            writer.tag(5)
            writer.list(elements) { writer, element in element.write(to: &writer) }
        case .object(let fields):
            writer.tag(6)
            writer.list(Array(fields)) { writer, field in
                writer.string(field.key)
                field.value.write(to: &writer)
            }
        }
    }

    /// Reads one value written by `write(to:)`.
    package init(from reader: inout WireReader, depth: Int = 0) throws {
        guard depth < Self.maximumWireDepth else {
            throw LinkError.malformedMessage("JSON value nested deeper than \(Self.maximumWireDepth) levels")
        }
        switch try reader.tag("JSON value") {
        case 0: self = .null
        case 1: self = .bool(try reader.bool("JSON boolean"))
        case 2: self = .int(try reader.integer(Int64.self, "JSON integer"))
        case 3: self = .double(try reader.double("JSON number"))
        case 4: self = .string(try reader.string("JSON string"))
        case 5: self = .array(try reader.list("JSON array") { reader in try JSONValue(from: &reader, depth: depth + 1) })
        case 6:
            let fields = try reader.list("JSON object") { reader in
                (try reader.string("JSON key"), try JSONValue(from: &reader, depth: depth + 1))
            }
            self = .object(Dictionary(fields, uniquingKeysWith: { _, last in last }))
        case let tag: throw LinkError.malformedMessage("unknown JSON value tag \(tag)")
        }
    }

    /// Reads the one value that `buffer` holds, all of it (as the journal stores descriptions).
    package init(wholeBuffer buffer: ByteBuffer) throws {
        var reader = WireReader(buffer)
        self = try JSONValue(from: &reader)
        try reader.finish()
    }
}
