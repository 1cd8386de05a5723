/// Staging keys of a unit description: RADICAL-Pilot's `input_staging` and
/// `output_staging` directives, and BigJob's and TROY's `file_transfer`.
extension DescriptionReader {
    /// The unit's staging, from `input_staging`, `output_staging`,
    /// `file_transfer` and `stage_out_on_failure`.
    package mutating func unitStaging() throws(PilotError) -> UnitStaging {
        var staging = UnitStaging()
        staging.input = try directives("input_staging", output: false)
        staging.output = try directives("output_staging", output: true)
        for (index, line) in try textList("file_transfer").enumerated() {
            let (directive, isOutput) = try fileTransfer(line, index: index, into: "SUBJOB_WORK_DIR")
            if isOutput { staging.output.append(directive) } else { staging.input.append(directive) }
        }
        staging.outputAfterFailure = try bool("stage_out_on_failure") ?? false
        return staging
    }

    /// A pilot's `file_transfer`: `"SRC > BIGJOB_WORK_DIR[/name]"` lines,
    /// staged into the pilot's sandbox before its agent starts.
    package mutating func pilotStaging() throws(PilotError) -> [StagingDirective] {
        var directives: [StagingDirective] = []
        for (index, line) in try textList("file_transfer").enumerated() {
            let (directive, isOutput) = try fileTransfer(line, index: index, into: "BIGJOB_WORK_DIR")
            if isOutput {
                throw failure("file_transfer", "item \(index) \(quoted(line)) stages out of the pilot's sandbox, which a pilot cannot do; stage outputs out of units")
            }
            directives.append(directive)
        }
        return directives
    }

    /// `input_data` (data unit ids or URLs) and `output_data` (`[{du: [glob, ...]}]`).
    package mutating func unitData() throws(PilotError) -> ([String], [DataOutput]) {
        let inputs = try textList("input_data").map { DataOutput.dataUnitID(from: $0) }
        var outputs: [DataOutput] = []
        for (index, item) in (try list("output_data") ?? []).enumerated() {
            guard case .object(let fields) = item else {
                throw failure("output_data", "item \(index) must be an object {\"<data unit id or URL>\": [\"<glob>\", ...]}, got \(item.typeName)")
            }
            for (reference, value) in fields.sorted(by: { $0.key < $1.key }) {
                let patterns: [String]
                switch value {
                case .string(let pattern): patterns = [pattern]
                case .array(let items): patterns = items.compactMap(\.scalarText)
                default: patterns = []
                }
                guard !patterns.isEmpty, patterns.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") }) else {
                    throw failure("output_data", "item \(index) must map a data unit to globs of files in the unit's working directory (relative, no '..'), e.g. {\"du-…\": [\"*.out\"]}")
                }
                outputs.append(DataOutput(dataUnit: DataOutput.dataUnitID(from: reference), patterns: patterns))
            }
        }
        return (inputs, outputs)
    }

    /// A list of directives: each a `"SOURCE > TARGET"` or `"SOURCE"` string,
    /// or an object with `source`, `target` and `action`.
    private mutating func directives(_ key: String, output: Bool) throws(PilotError) -> [StagingDirective] {
        guard let items = try list(key) else { return [] }
        var directives: [StagingDirective] = []
        for (index, item) in items.enumerated() {
            let what = "\(self.what) key '\(key)' item \(index)"
            switch item {
            case .string(let line):
                guard line.filter({ $0 == ">" }).count <= 1, !line.contains("<") else {
                    throw failure(key, "item \(index) \(quoted(line)) must read \"SOURCE\" or \"SOURCE > TARGET\" (one '>', no '>>' or '<'); use an object {\"source\", \"target\"} for names holding those characters")
                }
                let parts = line.split(separator: ">", maxSplits: 1).map { String($0).trimmed }
                let source = parts[0]
                let target = parts.count > 1 ? parts[1] : (output ? "" : ".")
                directives.append(try directive(source: source, target: target, action: .transfer, output: output, what: what))
            case .object(let fields):
                guard case .string(let source)? = fields["source"] else {
                    throw failure(key, "item \(index) needs 'source' (a string): the files to stage")
                }
                var target = output ? "" : "."
                if let value = fields["target"], value != .null {
                    guard case .string(let text) = value else { throw failure(key, "item \(index) 'target' must be a string, got \(value.typeName)") }
                    target = text
                }
                var action = StagingAction.transfer
                if let value = fields["action"], value != .null {
                    guard case .string(let name) = value, let known = StagingAction(rawValue: name.lowercased()) else {
                        throw failure(key, "item \(index) 'action' must be one of Transfer, Copy, Link, Move, got \(value.scalarText.map(quoted) ?? value.typeName)")
                    }
                    action = known
                }
                directives.append(try directive(source: source, target: target, action: action, output: output, what: what))
            default:
                throw failure(key, "item \(index) must be a string \"SOURCE > TARGET\" or an object {\"source\", \"target\", \"action\"}, got \(item.typeName)")
            }
        }
        return directives
    }

    /// BigJob's `"SRC > SUBJOB_WORK_DIR[/name]"` (into the unit's sandbox)
    /// or `"DEST < SUBJOB_WORK_DIR/name"` (out of it after the run);
    /// `workDirectory` is the name the sandbox goes by (a pilot's is `BIGJOB_WORK_DIR`).
    private func fileTransfer(_ line: String, index: Int, into workDirectory: String) throws(PilotError) -> (StagingDirective, Bool) {
        let what = "\(self.what) key 'file_transfer' item \(index)"
        if line.contains(">>") || line.contains("<<") {
            throw failure("file_transfer", "item \(index) \(quoted(line)) appends ('>>' or '<<'), which is not supported; use '>' to stage in or '<' to stage out")
        }
        for (mark, isOutput) in [(">", false), ("<", true)] {
            let parts = line.split(separator: Character(mark), maxSplits: 1).map { String($0).trimmed }
            guard parts.count == 2 else { continue }
            guard let inside = Self.workDirectoryPath(parts[1], named: workDirectory) else {
                throw failure("file_transfer", "item \(index) \(quoted(line)) must name \(workDirectory) on the right of '\(mark)' (\"SRC > \(workDirectory)\", \"DEST < \(workDirectory)/file\")")
            }
            let directive = isOutput
                ? try directive(source: inside, target: parts[0], action: .transfer, output: true, what: what)
                : try directive(source: parts[0], target: inside, action: .transfer, output: false, what: what)
            return (directive, isOutput)
        }
        throw failure("file_transfer", "item \(index) \(quoted(line)) must read \"SRC > \(workDirectory)\" (stage in) or \"DEST < \(workDirectory)/file\" (stage out)")
    }

    /// The part after the work directory's `name` as a sandbox path (`./`
    /// for the directory itself), nil when `text` does not start with it.
    private static func workDirectoryPath(_ text: String, named name: String) -> String? {
        guard text.hasPrefix(name) else { return nil }
        let rest = text.dropFirst(name.count)
        if rest.isEmpty || rest == "/" { return "./" }
        guard rest.hasPrefix("/") else { return nil }
        return String(rest.dropFirst())
    }

    /// One directive, both ends checked: the sandbox end may be relative,
    /// the other must be absolute or a URL.
    private func directive(source: String, target: String, action: StagingAction, output: Bool,
                           what: String) throws(PilotError) -> StagingDirective {
        guard !target.isEmpty else {
            throw PilotError(.invalidArgument, "\(what) \(quoted(source)) needs a target for the staged-out files: \"\(source) > /absolute/dir/\" or an ssh:// URL")
        }
        // Each end is checked; the one outside the sandbox must be absolute.
        _ = try DataLocation(source, allowsSandbox: output, what: "\(what) source")
        _ = try DataLocation(target, allowsSandbox: !output, what: "\(what) target")
        return StagingDirective(source: source, target: target, action: action)
    }
}
