import PilotModel
import PilotSystem

/// Operations on data places themselves (a pilot data's directory, a data
/// unit's), for the Pilot-Data layer, over the same reused connections.
extension Stager {
    /// Makes directory `location` (a path, `file://` or `ssh://` URL) with its parents.
    package func makeDirectory(_ location: String) -> StagingError? {
        switch place(location) {
        case .failure(let failure): return StagingError(reason: "cannot make \(location): \(failure.reason)")
        case .success(let (side, path)): return side.makeDirectory(path).map { StagingError(reason: "cannot make \(location): \($0.reason)") }
        }
    }

    /// The names in directory `location`, sorted (hidden partial copies left out).
    package func list(_ location: String) -> Result<[String], StagingError> {
        switch place(location) {
        case .failure(let failure):
            return .failure(StagingError(reason: "cannot list \(location): \(failure.reason)"))
        case .success(let (side, path)):
            return side.list(path).map { $0.filter { !$0.hasPrefix(".pilot-partial-") }.sorted() }
                .mapError { StagingError(reason: "cannot list \(location): \($0.reason)") }
        }
    }

    /// Removes the partial copies left in directory `location` by a
    /// transfer whose process died (a coordinator killed mid-copy).
    package func removePartials(in location: String) {
        guard case .success(let (side, path)) = place(location), case .success(let names) = side.list(path) else { return }
        let partials = names.filter { $0.hasPrefix(".pilot-partial-") }
        if !partials.isEmpty { _ = side.remove(partials, in: path) }
    }

    /// Removes `names` from directory `location` (all of it when `names` is nil).
    package func remove(_ names: [String]?, in location: String) -> StagingError? {
        switch place(location) {
        case .failure(let failure):
            return StagingError(reason: "cannot remove from \(location): \(failure.reason)")
        case .success(let (side, path)):
            let parent = FileSystem.parentDirectory(path)
            let doomed = names ?? [String(path.split(separator: "/").last ?? "")]
            let directory = names == nil ? parent : path
            return side.remove(doomed, in: directory).map { StagingError(reason: "cannot remove from \(location): \($0.reason)") }
        }
    }
}
