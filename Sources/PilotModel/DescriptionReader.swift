/// Reads typed fields out of a description object. Every failure names the
/// key, what it held and what it should hold; the keys it never read are the
/// description's extra attributes.
package struct DescriptionReader {
    private let fields: [String: JSONValue]
    /// What the description is, for errors ("compute unit description").
    let what: String
    /// Keys asked for so far: a short list (a description has a dozen
    /// known keys), far cheaper to build than a set on the submission path.
    private var consumed: [String] = []

    package init(_ value: JSONValue, what: String) throws(PilotError) {
        guard case .object(let fields) = value else {
            throw PilotError(.invalidArgument, "\(what) must be a JSON object of keys and values, got \(value.typeName)")
        }
        self.fields = fields
        self.what = what
        consumed.reserveCapacity(24)
    }

    /// The keys that no accessor asked for, with their values.
    package var unreadFields: [String: JSONValue] {
        fields.filter { !consumed.contains($0.key) }
    }

    /// Descriptions hold a few keys: comparing them is cheaper than hashing `key`.
    private func lookUp(_ key: String) -> JSONValue? {
        guard fields.count <= 8 else { return fields[key] }
        for (name, value) in fields where name == key { return value }
        return nil
    }

    private mutating func take(_ keys: [String]) -> (key: String, value: JSONValue)? {
        var found: (String, JSONValue)?
        for key in keys {
            consumed.append(key)
            if found == nil, let value = lookUp(key), value != .null { found = (key, value) }
        }
        return found
    }

    package func failure(_ key: String, _ problem: String) -> PilotError {
        PilotError(.invalidArgument, "\(what) key '\(key)' \(problem)")
    }

    /// A string under the first of `keys` present, nil when none is.
    package mutating func string(_ keys: String...) throws(PilotError) -> String? {
        guard let (key, value) = take(keys) else { return nil }
        guard case .string(let text) = value else {
            throw failure(key, "must be a string, got \(value.typeName)")
        }
        return text
    }

    /// A non-empty string that must be present.
    package mutating func requiredString(_ key: String, hint: String) throws(PilotError) -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw PilotError(.invalidArgument, "\(what) needs '\(key)': \(hint)")
        }
        return text
    }

    /// A whole number in `range`, given as a JSON number or as decimal text
    /// (old scripts pass `"4"`); nil when absent.
    package mutating func integer(_ keys: String..., in range: ClosedRange<Int>) throws(PilotError) -> Int? {
        guard let (key, value) = take(keys) else { return nil }
        let number: Int?
        switch value {
        case .int(let raw): number = Int(exactly: raw)
        case .double(let raw): number = raw.rounded() == raw ? Int(exactly: raw) : nil
        case .string(let text): number = Int(text.trimmed)
        default: number = nil
        }
        guard let number else {
            throw failure(key, "must be a whole number, got \(value.scalarText.map(quoted) ?? value.typeName)")
        }
        guard range.contains(number) else {
            throw failure(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// A positive number (fractions allowed), as number or decimal text; nil when absent.
    package mutating func positiveNumber(_ keys: String...) throws(PilotError) -> Double? {
        guard let (key, value) = take(keys) else { return nil }
        let number: Double?
        switch value {
        case .int(let raw): number = Double(raw)
        case .double(let raw): number = raw
        case .string(let text): number = Double(text.trimmed)
        default: number = nil
        }
        guard let number, number.isFinite, number > 0 else {
            throw failure(key, "must be a positive number, got \(value.scalarText.map(quoted) ?? value.typeName)")
        }
        return number
    }

    /// A boolean; nil when absent.
    package mutating func bool(_ key: String) throws(PilotError) -> Bool? {
        guard let (key, value) = take([key]) else { return nil }
        guard case .bool(let flag) = value else {
            throw failure(key, "must be true or false, got \(value.typeName)")
        }
        return flag
    }

    /// A list of any values; nil when absent.
    package mutating func list(_ key: String) throws(PilotError) -> [JSONValue]? {
        guard let (key, value) = take([key]) else { return nil }
        guard case .array(let items) = value else {
            throw failure(key, "must be a list, got \(value.typeName)")
        }
        return items
    }

    /// A list of scalars rendered as text (numbers allowed); empty when absent.
    package mutating func textList(_ key: String) throws(PilotError) -> [String] {
        guard let (key, value) = take([key]) else { return [] }
        guard case .array(let items) = value else {
            throw failure(key, "must be a list, got \(value.typeName)")
        }
        var texts: [String] = []
        texts.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let text = item.scalarText else {
                throw failure(key, "item \(index) must be a string or number, got \(item.typeName)")
            }
            texts.append(text)
        }
        return texts
    }

    /// Environment variables from `{"K": V}` or `["K=V", ...]`.
    package mutating func environment(_ key: String) throws(PilotError) -> [EnvironmentVariable] {
        guard let (key, value) = take([key]) else { return [] }
        var variables: [EnvironmentVariable] = []
        switch value {
        case .object(let pairs):
            for name in pairs.keys.sorted() {
                guard let item = pairs[name], let text = item.scalarText else {
                    throw failure(key, "value of \(quoted(name)) must be a string or number, got \(pairs[name]?.typeName ?? "nothing")")
                }
                variables.append(try variable(name, text, key: key))
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                guard case .string(let assignment) = item, let equals = assignment.firstIndex(of: "=") else {
                    throw failure(key, "item \(index) must be a \"NAME=value\" string, got \(item.scalarText.map(quoted) ?? item.typeName)")
                }
                let name = String(assignment[..<equals])
                let text = String(assignment[assignment.index(after: equals)...])
                variables.append(try variable(name, text, key: key))
            }
        default:
            throw failure(key, "must be an object {\"NAME\": \"value\"} or a list of \"NAME=value\" strings, got \(value.typeName)")
        }
        return variables
    }

    /// One variable; a bad name and a bad value are told apart.
    private func variable(_ name: String, _ value: String, key: String) throws(PilotError) -> EnvironmentVariable {
        guard !name.isEmpty, !name.contains("="), !name.contains("\0") else {
            throw failure(key, "has an invalid variable name \(quoted(name)) (names are non-empty and hold no '=' or NUL)")
        }
        guard !value.contains("\0") else {
            throw failure(key, "is invalid: the value of variable \(quoted(name)) contains a NUL byte, which an environment cannot hold; remove it")
        }
        return EnvironmentVariable(name: name, value: value)
    }

    /// Bytes a path may have on Linux (PATH_MAX, with its terminating NUL).
    package static let longestPath = 4096

    /// Why `path` cannot be a path: too long.
    package static func tooLong(_ path: String) -> String {
        "\(quoted(path)) is longer than the \(longestPath - 1) bytes a path may have"
    }

    /// A path a unit names (`working_directory`, `input`, `output`,
    /// `error`); nil when absent. One rule for all of them: an absolute path
    /// (and, when `homeIsAbsolute`, one starting with `~`, the agent's home)
    /// is taken as written, since the user means that place; a relative
    /// path resolves inside `base` and may not hold a `..` component.
    package mutating func path(_ key: String, inside base: String, homeIsAbsolute: Bool = false) throws(PilotError) -> String? {
        guard let path = try string(key) else { return nil }
        guard !path.isEmpty else { throw failure(key, "must be a non-empty path") }
        guard !path.contains("\0") else { throw failure(key, "\(quoted(path)) contains a NUL byte, which a path cannot hold") }
        guard path.utf8.count < Self.longestPath else { throw failure(key, Self.tooLong(path)) }
        let absolute = path.hasPrefix("/") || (homeIsAbsolute && path.hasPrefix("~"))
        if !absolute && path.split(separator: "/").contains("..") {
            throw failure(key, "\(quoted(path)) leaves \(base): a relative path may not contain '..'; use a path inside it, or an absolute path if you mean a place outside it")
        }
        return path
    }
}

/// One `NAME=value` pair of a unit's environment.
package struct EnvironmentVariable: Sendable, Equatable, Codable {
    /// The variable's name.
    package var name: String
    /// The variable's value.
    package var value: String

    /// Creates the pair `name=value`.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
