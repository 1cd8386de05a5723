import Glibc
import NIOCore
import PilotLink
import PilotSystem

/// A node worker's units and its end of the frames: spawns what the agent
/// orders, signals what it names, reports starts and exits. When the agent's
/// side ends (stdin closed, a bad frame) every unit's process group is
/// killed and the worker exits: nothing it started outlives its agent.
/// Confined to the worker's event loop.
final class NodeWorkerUnits: ChannelInboundHandler {
    typealias InboundIn = WorkerCommand
    typealias OutboundOut = WorkerReport

    private let log: AgentLog
    private let environment = UnitEnvironment()
    /// Read once: the worker changes no signal disposition but SIGPIPE, which this covers.
    private let signalDefaults = SignalDefaults.ignoredNow()
    private var pidOfToken: [Int32: pid_t] = [:]
    private var tokenOfPid: [pid_t: Int32] = [:]
    private var channel: Channel?

    init(log: AgentLog) {
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        channel = context.channel
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .spawn(let order):
            context.write(Self.wrapOutboundOut(spawn(order)), promise: nil)
        case .signal(let token, let signal):
            if let pid = pidOfToken[token] { ProcessSpawner.signalGroup(pid, signal) }
        case .ping:
            context.write(Self.wrapOutboundOut(.alive), promise: nil)
        case .read(var read):
            // The agent sends a worker only reads of files on its node.
            read.node = nil
            let channel = context.channel
            FileReads.serve(read, on: context.eventLoop) { chunk in channel.writeAndFlush(WorkerReport.chunk(chunk), promise: nil) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(because: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        end(because: "the agent's frames are unreadable: \(error)")
    }

    /// Starts the unit `order` describes: the first of its argv attempts that starts.
    private func spawn(_ order: WorkerSpawn) -> WorkerReport {
        guard pidOfToken[order.token] == nil else {
            return .notStarted(token: order.token, reason: "the worker runs a unit under token \(order.token) already")
        }
        if let problem = FileSystem.makeDirectories(order.workingDirectory) {
            return .notStarted(token: order.token, reason: problem)
        }
        var request = SpawnRequest(
            arguments: [], environment: environment.entries(own: order.environment), workingDirectory: order.workingDirectory,
            input: order.input, output: order.output, error: order.error, signalDefaults: signalDefaults)
        var failure = SpawnFailure("no command to run")
        for argv in order.attempts {
            request.arguments = argv
            switch ProcessSpawner.spawn(request) {
            case .success(let pid):
                pidOfToken[order.token] = pid
                tokenOfPid[pid] = order.token
                return .started(token: order.token, pid: pid)
            case .failure(let reason):
                failure = reason
            }
        }
        return .notStarted(token: order.token, reason: failure.reason)
    }

    /// Child `pid` ended with wait `status`.
    func reaped(_ pid: pid_t, status: Int32) {
        guard let token = tokenOfPid.removeValue(forKey: pid) else { return }
        pidOfToken[token] = nil
        channel?.writeAndFlush(WorkerReport.exited(token: token, status: status), promise: nil)
    }

    /// Kills every unit's process group and exits; `reason` (if any) is logged.
    func end(because reason: String?) {
        if let reason { log.error("\(reason); stopping its \(pidOfToken.count) units") }
        for pid in pidOfToken.values { ProcessSpawner.signalGroup(pid, SIGKILL) }
        _exit(reason == nil ? 0 : 1)
    }
}
