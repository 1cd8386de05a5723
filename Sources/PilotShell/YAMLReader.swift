import CYAML
import PilotModel

/// Reads one YAML document into a `JSONValue` with libyaml's event parser.
/// Plain scalars are resolved as in YAML 1.2's core schema (null, true and
/// false, integers, floats); quoted ones are strings. Anchors and aliases
/// work; a second document, a duplicate key or a non-scalar key is an error.
package enum YAMLReader {
    /// The document in `text`; `name` (a file name) is used in errors.
    package static func parse(_ text: String, name: String) throws(PilotError) -> JSONValue {
        var builder = YAMLTreeBuilder(name: name)
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw PilotError(.internal, "cannot start the YAML parser for \(name)")
        }
        defer { yaml_parser_delete(parser) }
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(PilotError) -> JSONValue in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError(parser.pointee, name: name) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.take(event)
            }
            return try builder.document()
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, name: String) -> PilotError {
        let problem = parser.problem.map { String(cString: $0) } ?? "cannot be parsed"
        let mark = parser.problem_mark
        return PilotError(.invalidArgument, "\(name) line \(mark.line + 1), column \(mark.column + 1): \(problem); write YAML (or JSON) there")
    }
}

/// A collection being read: its elements so far (a class, so that adding
/// one does not copy the others).
private final class OpenCollection {
    let isMapping: Bool
    let anchor: String?
    var elements: [JSONValue] = []
    var fields: [String: JSONValue] = [:]
    var key: String?
    /// Values in it, itself included (aliases count what they repeat).
    var weight = 1
    /// Levels below it, itself included.
    var depth = 1

    init(isMapping: Bool, anchor: String?) {
        self.isMapping = isMapping
        self.anchor = anchor
    }

    var value: YAMLNode { YAMLNode(value: isMapping ? .object(fields) : .array(elements), weight: weight, depth: depth) }
}

/// A value read, with what it costs: an alias repeats its anchor's value,
/// so a few lines can stand for billions of values (the "billion laughs").
private struct YAMLNode {
    let value: JSONValue
    /// Values in it, itself included.
    let weight: Int
    /// Levels of nesting, itself included.
    let depth: Int
}

/// Turns parser events into a tree, one open collection per nesting level.
private struct YAMLTreeBuilder {
    let name: String
    private var open: [OpenCollection] = []
    private var anchors: [String: YAMLNode] = [:]
    /// The most values a document may stand for, aliases expanded.
    static let maximumWeight = 1_000_000
    private var documents: [JSONValue] = []

    init(name: String) {
        self.name = name
    }

    mutating func take(_ event: yaml_event_t) throws(PilotError) {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nil
            let node = YAMLNode(value: plain ? PlainScalar.value(text) : .string(text), weight: 1, depth: 1)
            if let anchor = Self.text(scalar.anchor) { anchors[anchor] = node }
            try add(node)
        case YAML_ALIAS_EVENT:
            let anchor = Self.text(event.data.alias.anchor) ?? ""
            guard let node = anchors[anchor] else { throw problem("uses the alias *\(anchor), which names no anchor before it") }
            try add(node)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard open.count < JSONText.maximumDepth else {
                throw problem("nests more than \(JSONText.maximumDepth) levels deep; flatten it")
            }
            let mapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            open.append(OpenCollection(isMapping: mapping, anchor: Self.text(anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let closed = open.popLast() else { return }
            let node = closed.value
            if let anchor = closed.anchor { anchors[anchor] = node }
            try add(node)
        default:
            break
        }
    }

    func document() throws(PilotError) -> JSONValue {
        guard let first = documents.first else { throw problem("holds no YAML document") }
        guard documents.count == 1 else { throw problem("holds \(documents.count) YAML documents; put the units in one list") }
        return first
    }

    private mutating func add(_ node: YAMLNode) throws(PilotError) {
        let value = node.value
        guard let collection = open.last else {
            documents.append(value)
            return
        }
        collection.weight += node.weight
        collection.depth = max(collection.depth, node.depth + 1)
        guard collection.weight <= Self.maximumWeight else {
            throw problem("stands for more than \(Self.maximumWeight) values (each alias repeats what its anchor holds); use fewer aliases")
        }
        guard collection.depth + open.count - 1 <= JSONText.maximumDepth else {
            throw problem("nests more than \(JSONText.maximumDepth) levels deep; flatten it")
        }
        guard collection.isMapping else {
            collection.elements.append(value)
            return
        }
        if let key = collection.key {
            collection.fields[key] = value
            collection.key = nil
            return
        }
        let key: String
        switch value {
        case .string(let text): key = text
        case .int(let number): key = String(number)
        case .bool(let flag): key = String(flag)
        default: throw problem("has a key that is not a plain name (\(JSONText.render(value)))")
        }
        guard collection.fields[key] == nil else { throw problem("repeats the key \"\(key)\"") }
        collection.key = key
    }

    private func problem(_ text: String) -> PilotError {
        PilotError(.invalidArgument, "\(name) \(text)")
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// Plain scalars as YAML 1.2's core schema reads them: null, true and
/// false, integers, finite floats; everything else is a string (so `yes`,
/// `0x10` and `.inf` stay text).
enum PlainScalar {
    /// The value of plain (unquoted, untagged) scalar `text`.
    static func value(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let number = Int64(text) { return .int(number) }
        let numeric = text.allSatisfy { "0123456789+-.eE".contains($0) } && text.contains(where: \.isNumber)
        if numeric, let number = Double(text), number.isFinite { return .double(number) }
        return .string(text)
    }
}
