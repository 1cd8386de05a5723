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

    /// A copy of `agent` in `directory`'s `.pilot-agents` (which batch
    /// nodes see when `directory`, the pilot's working directory, is on a
    /// shared file system); made once, whole or not at all.
    static func sharedCopy(of agent: String, in directory: String) throws(PilotError) -> String {
        let folder = directory + "/.pilot-agents"
        let copy = folder + "/" + (try name(of: agent))
        if FileSystem.exists(copy) { return copy }
        if let problem = FileSystem.makeDirectories(folder, mode: 0o700) ?? FileSystem.copyAtomically(agent, to: copy, mode: 0o700) {
            throw PilotError(.backend, "cannot stage the agent for the batch job: \(problem)")
        }
        return copy
    }
}
