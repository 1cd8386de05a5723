import Glibc
import PilotSystem

/// The regular files of a staged set with their SHA-256 digests, by path
/// relative to the directory the set was taken from (`name/sub/file`).
/// Staged copies are compared with their source's manifest before they
/// are made visible.
struct Manifest: Equatable {
    /// Digest by relative path.
    var digests: [String: String] = [:]
    /// Bytes in all files (known for local sets only).
    var bytes = 0

    init() {}

    /// Reads `sha256sum` output (`<hex>  ./path` lines); other lines are skipped.
    init(sha256sum output: String) {
        for line in output.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), line.distance(from: line.startIndex, to: space) == 64 else { continue }
            var path = line[line.index(space, offsetBy: 2)...]
            if path.hasPrefix("./") { path = path.dropFirst(2) }
            digests[String(path)] = String(line[..<space])
        }
    }

    /// The manifest of `names` (files or directories) in local `directory`.
    static func local(_ names: [String], in directory: String) -> Result<Manifest, StagingFailure> {
        var manifest = Manifest()
        var pending = names
        while let name = pending.popLast() {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { return .failure(StagingFailure("cannot read \(path): \(FileSystem.errorText(errno))")) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard let entries = FileSystem.entries(of: path) else {
                    return .failure(StagingFailure("cannot list \(path): \(FileSystem.errorText(errno))"))
                }
                pending += entries.map { name + "/" + $0 }
            case S_IFREG:
                switch FileDigest.sha256(path) {
                case .success(let digest): manifest.digests[name] = digest
                case .failure(let failure): return .failure(failure)
                }
                manifest.bytes += Int(info.st_size)
            default:
                continue
            }
        }
        return .success(manifest)
    }

    /// The first difference from `expected` in words, nil when they agree.
    func difference(from expected: Manifest, at place: String) -> String? {
        for (path, digest) in expected.digests.sorted(by: { $0.key < $1.key }) {
            guard let copy = digests[path] else { return "\(path) is missing from the copy at \(place)" }
            if copy != digest { return "the copy of \(path) at \(place) differs from its source (SHA-256 \(copy.prefix(12))… against \(digest.prefix(12))…)" }
        }
        return nil
    }
}
