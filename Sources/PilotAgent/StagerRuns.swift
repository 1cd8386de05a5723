import FoundationEssentials
import Glibc
import NIOCore
import PilotData
import PilotModel
import PilotSystem

/// Stager processes (`pilot-agent --stage`) the agent runs for units'
/// staging, on the unit's node. Each gets its plan on stdin and answers
/// with one report on stdout; a thread per stager writes the one and reads
/// the other (a pipe may block, the event loop must not). A stager is done
/// when its report has been read and it has been reaped, in either order.
/// Confined to the agent's event loop.
final class StagerRuns {
    private struct Run {
        var output: String?
        var status: Int32?
    }

    private let eventLoop: EventLoop
    private let completed: (pid_t, StagingReport) -> Void
    private var runs: [pid_t: Run] = [:]

    /// `completed` runs on `eventLoop` once per stager with its report.
    init(eventLoop: EventLoop, completed: @escaping (pid_t, StagingReport) -> Void) {
        self.eventLoop = eventLoop
        self.completed = completed
    }

    /// Starts a stager with `plan` by running `arguments` (the stager
    /// itself, or srun or ssh running it on another node).
    func start(_ plan: StagingPlan, arguments: [String]) -> Result<pid_t, SpawnFailure> {
        let request = SpawnRequest(arguments: arguments, environment: Environment.current(), workingDirectory: nil,
                                   input: nil, output: "", error: "")
        let process: ConnectedProcess
        switch ProcessSpawner.spawnConnected(request) {
        case .success(let started): process = started
        case .failure(let failure): return .failure(failure)
        }
        runs[process.pid] = Run()
        let text = JSONText.render(plan)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let pid = process.pid
        let exchanged = startThread {
            _ = FileSystem.writeAll(text, to: process.write)
            close(process.write)
            let output = FileSystem.readAll(process.read)
            close(process.read)
            bound.eventLoop.execute { bound.value.received(output, from: pid) }
        }
        if !exchanged {
            close(process.write)
            close(process.read)
            received("", from: pid)
        }
        return .success(pid)
    }

    /// Child `pid` ended; true if it was a stager.
    func exited(_ pid: pid_t, status: Int32) -> Bool {
        guard runs[pid] != nil else { return false }
        runs[pid]?.status = status
        finishIfDone(pid)
        return true
    }

    private func received(_ output: String, from pid: pid_t) {
        runs[pid]?.output = output
        finishIfDone(pid)
    }

    private func finishIfDone(_ pid: pid_t) {
        guard let run = runs[pid], let output = run.output, let status = run.status else { return }
        runs[pid] = nil
        completed(pid, StagingReport(output: output, ended: "\(ExitStatus(waitStatus: status))"))
    }
}
