/// What a run of staging directives moved, and how long it took.
package struct StagingTally: Sendable, Equatable, Codable {
    /// Regular files staged (links count one each).
    package var files = 0
    /// Their bytes, where the source was local (a remote source's sizes are not asked for).
    package var bytes = 0
    /// Wall-clock seconds.
    package var seconds = 0.0

    package init() {}
}
