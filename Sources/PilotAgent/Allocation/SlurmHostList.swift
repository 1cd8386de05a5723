/// SLURM's compressed notations for the nodes of a job and their cores.
enum SlurmHostList {
    /// Expands a host list such as `node[01-03,07],gpu5` into
    /// `node01 node02 node03 node07 gpu5`; nil if it is malformed (an
    /// unclosed bracket, a range that runs backwards, a non-number).
    static func expand(_ text: String) -> [String]? {
        var hosts: [String] = []
        for item in topLevelItems(text) {
            guard let expanded = expandItem(Substring(item)) else { return nil }
            hosts += expanded
        }
        return hosts
    }

    /// Expands a cores-per-node list such as `2(x3),1` into `[2, 2, 2, 1]`.
    static func counts(_ text: String) -> [Int]? {
        var counts: [Int] = []
        for item in text.split(separator: ",") {
            if let open = item.firstIndex(of: "(") {
                guard item.hasSuffix(")"), item[item.index(after: open)...].hasPrefix("x"),
                      let count = Int(item[..<open]),
                      let times = Int(item[item.index(open, offsetBy: 2)..<item.index(before: item.endIndex)]),
                      times > 0, times <= 1 << 20 else { return nil }
                counts += Array(repeating: count, count: times)
            } else {
                guard let count = Int(item) else { return nil }
                counts.append(count)
            }
        }
        return counts
    }

    /// Splits at commas outside brackets.
    private static func topLevelItems(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "[": depth += 1
            case "]": depth -= 1
            case "," where depth == 0:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        if !current.isEmpty { items.append(current) }
        return items
    }

    /// One item: a plain name, or prefix, one bracket of ranges, and the
    /// rest (which may hold further brackets: `rack[1-2]n[1-2]`).
    private static func expandItem(_ item: Substring) -> [String]? {
        guard let open = item.firstIndex(of: "[") else {
            return item.contains("]") || item.isEmpty ? nil : [String(item)]
        }
        guard let close = item[open...].firstIndex(of: "]") else { return nil }
        guard let numbers = ranges(item[item.index(after: open)..<close]) else { return nil }
        let tail = item[item.index(after: close)...]
        var rest = [""]
        if !tail.isEmpty {
            guard let expanded = expandItem(tail) else { return nil }
            rest = expanded
        }
        return numbers.flatMap { number in rest.map { item[..<open] + number + $0 } }
    }

    /// `01-03,07` as `["01", "02", "03", "07"]`, keeping zero padding.
    private static func ranges(_ text: Substring) -> [String]? {
        var result: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2, bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), low <= high, high - low < 1 << 20 else { return nil }
            let width = bounds[0].count
            for number in low...high {
                let digits = String(number)
                result.append(String(repeating: "0", count: max(0, width - digits.count)) + digits)
            }
        }
        return result
    }
}
