import Glibc
import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotSystem

/// The process behind `pilot-agent --node-worker`: started by an agent on
/// another node of its allocation, it takes `WorkerCommand`s on stdin and
/// answers with `WorkerReport`s on stdout until stdin ends, then kills what
/// it started and exits. It trusts its stdin: only the agent that started
/// it (through srun or ssh, which carry the frames) holds the other end.
package enum NodeWorker {
    /// Serves the agent of pilot `pilotID` (named in the log) until it goes.
    /// Returns the process exit status when it cannot start.
    package static func run(pilotID: String) -> Int32 {
        let log = AgentLog(pilotID: "\(pilotID) (worker on \(FileSystem.hostName()))")
        // The frames keep their own descriptors; 0 and 1 then point where
        // nothing a library prints can corrupt them.
        let input = dup(0)
        let output = dup(1)
        let null = open("/dev/null", O_RDONLY)
        guard input >= 0, output >= 0, null >= 0, dup2(null, 0) == 0, dup2(2, 1) == 1 else {
            log.error("cannot set up its standard descriptors: \(FileSystem.errorText(errno))")
            return 2
        }
        close(null)
        // Set by the worker's own srun (--cpus-per-task: the node's cores);
        // a unit would take it as its own count. Units on the agent's node do not see it.
        unsetenv("SLURM_CPUS_PER_TASK")
        guard let childSignal = ChildExits.descriptor(log: log) else { return 2 }
        let eventLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
        eventLoop.execute {
            let units = NodeWorkerUnits(log: log)
            let bound = NIOLoopBound(units, eventLoop: eventLoop)
            ChildExits.watch(childSignal, on: eventLoop) { pid, status in bound.value.reaped(pid, status: status) }
                .whenFailure { error in bound.value.end(because: "cannot watch for exited units: \(error)") }
            NIOPipeBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addLinkHandlers(
                            reading: WorkerCommand.self, writing: WorkerReport.self, then: bound.value)
                    }
                }
                .takingOwnershipOfDescriptors(input: input, output: output)
                .whenComplete { result in
                    switch result {
                    case .success(let channel):
                        channel.writeAndFlush(WorkerReport.ready(host: FileSystem.hostName(), pid: getpid()), promise: nil)
                    case .failure(let error):
                        bound.value.end(because: "cannot use its stdin and stdout: \(error)")
                    }
                }
        }
        while true { pause() }
    }
}
