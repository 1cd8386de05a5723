/// The regular files of a staged set with their POSIX `cksum` (CRC-32 and
/// size), by path relative to the directory the set was taken from
/// (`name/sub/file`). Staged copies are compared with their source's
/// manifest before they are made visible. Both ends run coreutils' cksum,
/// which reads a gigabyte in a fifth of a second; the ssh channel itself is
/// authenticated, so the check is against truncation and corruption, not
/// against an adversary.
struct Manifest: Equatable {
    /// "CRC SIZE" by relative path.
    var digests: [String: String] = [:]
    /// Bytes in all files.
    var bytes = 0

    init() {}

    /// Reads `cksum` output (`<crc> <size> ./path` lines); other lines are skipped.
    init(cksum output: String) {
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, UInt32(fields[0]) != nil, let size = Int(fields[1]) else { continue }
            var path = fields[2]
            if path.hasPrefix("./") { path = path.dropFirst(2) }
            digests[String(path)] = "\(fields[0]) \(size)"
            bytes += size
        }
    }

    /// The first difference from `expected` in words, nil when they agree.
    func difference(from expected: Manifest, at place: String) -> String? {
        for (path, digest) in expected.digests.sorted(by: { $0.key < $1.key }) {
            guard let copy = digests[path] else { return "\(path) is missing from the copy at \(place)" }
            if copy != digest { return "the copy of \(path) at \(place) differs from its source (CRC and size \(copy) against \(digest))" }
        }
        return nil
    }
}
