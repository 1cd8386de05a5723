import PilotModel
import PilotSystem

/// Gets `pilot-agent` to where another host can run it, once per build:
/// copies are named by the first 16 hex digits of the binary's SHA-256, so
/// a copy made for an earlier pilot is reused and a new build never runs an
/// old copy by mistake.
package enum AgentStaging {
    private static let checksums = Monitor([String: String]())

    /// The checksum name of the agent at `path` (computed once per path and process).
    static func name(of path: String) throws(PilotError) -> String {
        if let known = checksums.withLock({ $0[path] }) { return known }
        guard let sum = AgentExecutable.checksum(of: path) else {
            throw PilotError(.backend, "cannot read the agent \(path) to stage it")
        }
        let name = "pilot-agent-" + sum.prefix(16)
        checksums.withLock { $0[path] = name }
        return name
    }

    /// Removes the staged copies in `directory` when no pilot sandbox
    /// (`bj-*`) is left there to use them: a refused first pilot leaves
    /// nothing behind. (A pilot makes its sandbox before it stages, so one
    /// being launched keeps them.)
    static func removeUnusedCopies(in directory: String) {
        guard let entries = FileSystem.entries(of: directory), !entries.contains(where: { $0.hasPrefix("bj-") }) else { return }
        FileSystem.removeTree(directory + "/" + folder)
    }

    /// The folder of staged copies in a working directory.
    private static let folder = ".pilot-agents"

    /// A copy of `agent` in `directory`'s `.pilot-agents` (which batch
    /// nodes see when `directory`, the pilot's working directory, is on a
    /// shared file system); made once, whole or not at all.
    static func sharedCopy(of agent: String, in directory: String) throws(PilotError) -> String {
        let staged = directory + "/" + folder
        let copy = staged + "/" + (try name(of: agent))
        if FileSystem.exists(copy) { return copy }
        if let problem = FileSystem.makeDirectories(staged, mode: 0o700) ?? FileSystem.copyAtomically(agent, to: copy, mode: 0o700) {
            throw PilotError(.backend, "cannot stage the agent for the batch job: \(problem)")
        }
        return copy
    }
}
