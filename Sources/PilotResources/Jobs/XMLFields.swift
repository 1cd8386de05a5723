/// Just enough XML for a batch manager's listings (`qstat -xml`): the
/// elements named `element`, each as its child elements' text. Entities
/// are decoded; anything malformed yields fewer records, never a trap.
enum XMLFields {
    static func records(_ xml: String, element: String) -> [[String: String]] {
        var records: [[String: String]] = []
        var rest = Substring(xml)
        while let open = rest.firstRange(of: "<\(element)") {
            guard let start = rest[open.upperBound...].firstIndex(of: ">"),
                  let close = rest[start...].firstRange(of: "</\(element)>") else { break }
            records.append(children(rest[rest.index(after: start)..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return records
    }

    private static func children(_ body: Substring) -> [String: String] {
        var fields: [String: String] = [:]
        var rest = body
        while let open = rest.firstIndex(of: "<") {
            guard let end = rest[open...].firstIndex(of: ">") else { break }
            let name = String(rest[rest.index(after: open)..<end].prefix { $0 != " " && $0 != "/" })
            let after = rest.index(after: end)
            if rest[..<end].hasSuffix("/") || name.hasPrefix("/") || name.isEmpty {
                rest = rest[after...]
                continue
            }
            guard let close = rest[after...].firstRange(of: "</\(name)>") else { break }
            fields[name] = decoded(rest[after..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return fields
    }

    private static func decoded(_ text: Substring) -> String {
        var result = String(text)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            result = result.split(separator: entity, omittingEmptySubsequences: false).joined(separator: character)
        }
        return result
    }
}
