/// Where a pilot data keeps its data units, validated from a
/// PilotDataDescription: `file:///path` (this host) or
/// `ssh://[user@]host[:port]/path`, with an optional size limit and the
/// affinity labels early binding matches.
package struct PilotDataDescription: Sendable, Equatable {
    /// The storage place as given.
    package var serviceURL: String
    /// The storage place, parsed.
    package var location: DataLocation
    /// The most megabytes its data units may take together; nil: no limit.
    package var sizeMB: Double?
    /// Placement label matched against units and data units.
    package var affinityDatacenterLabel: String?
    /// Placement label matched against units and data units.
    package var affinityMachineLabel: String?

    /// Validates a PilotDataDescription given as JSON value.
    package init(json: JSONValue) throws(PilotError) {
        var reader = try DescriptionReader(json, what: "pilot data description")
        serviceURL = try reader.requiredString("service_url", hint: "where the data lives, e.g. \"file:///scratch/data\" or \"ssh://host/scratch/data\"")
        location = try DataLocation(serviceURL, allowsSandbox: false, what: "pilot data description key 'service_url'")
        sizeMB = try reader.positiveNumber("size")
        affinityDatacenterLabel = try reader.string("affinity_datacenter_label")
        affinityMachineLabel = try reader.string("affinity_machine_label")
        _ = try reader.string("userkey")
    }
}

/// A named set of files to put into pilot data, validated from a
/// DataUnitDescription: `file_urls` are absolute paths of this host or
/// `file://` and `ssh://` URLs, each naming one file or directory (a glob
/// may name several); the data unit holds them by their last name.
package struct DataUnitDescription: Sendable, Equatable {
    /// The files to copy in, as given.
    package var fileURLs: [String]
    /// Placement label matched against pilot data.
    package var affinityDatacenterLabel: String?
    /// Placement label matched against pilot data.
    package var affinityMachineLabel: String?

    /// Validates a DataUnitDescription given as JSON value.
    package init(json: JSONValue) throws(PilotError) {
        var reader = try DescriptionReader(json, what: "data unit description")
        fileURLs = []
        for (index, item) in (try reader.list("file_urls") ?? []).enumerated() {
            guard case .string(let url) = item else {
                throw reader.failure("file_urls", "item \(index) must be a path or URL (a string), got \(item.scalarText.map(quoted) ?? item.typeName)")
            }
            fileURLs.append(url)
        }
        for (index, url) in fileURLs.enumerated() {
            _ = try DataLocation(url, allowsSandbox: false, what: "data unit description key 'file_urls' item \(index)")
        }
        try Self.checkNames(fileURLs, what: "data unit description key 'file_urls'")
        affinityDatacenterLabel = try reader.string("affinity_datacenter_label")
        affinityMachineLabel = try reader.string("affinity_machine_label")
    }

    /// Refuses two files of one data unit with the same last name.
    package static func checkNames(_ urls: [String], what: String) throws(PilotError) {
        var seen: [String: String] = [:]
        for url in urls {
            let name = String(url.split(separator: "/").last ?? "")
            if let first = seen[name] {
                throw PilotError(.invalidArgument, "\(what) names \(quoted(name)) twice (\(quoted(first)) and \(quoted(url))); a data unit holds files by their last name")
            }
            seen[name] = url
        }
    }
}
