import Glibc
import PilotSystem

/// A running fork pilot: the agent's pid, which is also its process group.
struct ForkPilot: LaunchedPilot {
    let pid: pid_t
    /// Set for an agent this process did not start (so cannot reap): the pid
    /// is signalled only while it still runs this pilot's agent, never a
    /// process that reused the number.
    let pilotID: String?

    var nativeID: String { String(pid) }

    func terminate() {
        if pilotID != nil, agentHasExited { return }
        ProcessSpawner.signalGroup(pid, SIGKILL)
    }

    /// For an agent started by an earlier coordinator: no process `pid`
    /// runs this pilot's agent any more (its command line names the pilot).
    var agentHasExited: Bool {
        guard let pilotID else { return false }
        return FileSystem.read("/proc/\(pid)/cmdline")?.contains(pilotID) != true
    }

    func killOrphanedUnits(processGroups: [Int32]) {
        for group in processGroups { ProcessSpawner.signalGroup(group, SIGKILL) }
    }
}
