/// What a staging directive does with the files it names (RADICAL-Pilot's
/// actions). `transfer` and `copy` copy; `link` makes a symbolic link when
/// source and target are on the same host, and copies otherwise; `move`
/// copies and then removes the source.
package enum StagingAction: String, Sendable, Equatable, Codable, CaseIterable {
    case transfer, copy, link, move
}

/// One staging step of a unit: files from `source` to `target`.
///
/// Each end is a location: an absolute path or `file://` URL on the
/// coordinator's host, an `ssh://[user@]host[:port]/path` URL, or a path
/// relative to the unit's working directory (its sandbox). An input
/// directive's relative end is the target, an output directive's the
/// source; the other end must be absolute, because the coordinator may run
/// elsewhere than the process that wrote the description. The source's
/// last component may be a glob. A target ending in `/`, or a source that
/// names several files, puts the files inside the target directory;
/// otherwise the target is the file's new name.
package struct StagingDirective: Sendable, Equatable, Codable {
    /// Where the files are.
    package var source: String
    /// Where they go.
    package var target: String
    /// How they get there.
    package var action: StagingAction

    /// Creates a directive.
    package init(source: String, target: String, action: StagingAction) {
        self.source = source
        self.target = target
        self.action = action
    }

    /// Whether the files named `sourceName` (the source's last component)
    /// go inside the target directory rather than becoming the target.
    package func targetsDirectory(sourceName: String) -> Bool {
        target.hasSuffix("/") || target == "." || DataLocation.isGlob(sourceName)
    }
}

/// A unit's staging: what comes into its working directory before it
/// starts, and what leaves it after it ends.
package struct UnitStaging: Sendable, Equatable, Codable {
    /// Run before the unit starts, in order; a failure fails the unit.
    package var input: [StagingDirective]
    /// Run after the unit ends, in order.
    package var output: [StagingDirective]
    /// Whether output staging runs after a failed run too (outputs of
    /// failed runs are what users debug with); by default only after exit 0.
    package var outputAfterFailure: Bool

    /// Creates the staging of a unit.
    package init(input: [StagingDirective] = [], output: [StagingDirective] = [], outputAfterFailure: Bool = false) {
        self.input = input
        self.output = output
        self.outputAfterFailure = outputAfterFailure
    }

    /// True when there is nothing to stage.
    package var isEmpty: Bool { input.isEmpty && output.isEmpty }
}

/// Files a unit leaves for a data unit: what matches `patterns` in its
/// working directory moves into data unit `dataUnit` after the run.
package struct DataOutput: Sendable, Equatable {
    /// The data unit's id (`du-<uuid>`).
    package var dataUnit: String
    /// Globs relative to the unit's working directory.
    package var patterns: [String]

    /// Creates the output.
    package init(dataUnit: String, patterns: [String]) {
        self.dataUnit = dataUnit
        self.patterns = patterns
    }

    /// The `du-<uuid>` a data unit reference names: the id itself, or the
    /// last part of its URL.
    package static func dataUnitID(from reference: String) -> String {
        let last = reference.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? reference
        return last.hasPrefix(IdentifierKind.dataUnit.rawValue + "-") ? last : reference
    }
}
