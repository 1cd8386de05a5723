import Glibc
import NIOCore
import PilotData
import PilotLink
import PilotModel
import PilotSystem

/// Runs units in the agent's slots, on the nodes of its allocation.
/// Confined to the link's event loop: every method runs there, so its state
/// needs no lock. Units start in the order they arrive; a unit waits until
/// it has all the slots it needs (on one node, or across nodes for MPI). A
/// unit with a time limit is stopped like a cancelled one when it runs past it.
///
/// Units on other nodes go to that node's worker (`NodeWorkers`) when it is
/// ready; the executor names them by a token in place of a pid (negative,
/// so no signal can reach a process by mistake) and hears of their start
/// and end from the worker.
///
/// A unit with staging directives holds its slots while a stager
/// (`StagerRuns`) brings its input, on its node, before it starts (the
/// unit is Staging meanwhile), and while one takes its output away after
/// it ends; its end is reported when that is done.
///
/// In emulation (a benchmark tool, see `Agent.emulationVariable`) a unit
/// runs no process: it holds its slots for its declared `duration` and
/// ends with exit code 0. Emulated units get negative pseudo-pids.
final class UnitExecutor {
    private struct RunningUnit {
        let id: String
        let shares: [SlotMap.Share]
        let started: Double
        var canceled = false
        /// Set when the unit ran past this limit (seconds) and was stopped.
        var timedOut: Double?
        /// Set when a node it ran on was lost: why.
        var nodeLost: String?
        /// The node whose worker runs it, if one does.
        var worker: Int?
        /// Its process id there, once the worker has started it.
        var workerPid: pid_t?
        /// What runs under this pid: the unit, or its stager.
        var phase = Phase.running
        /// The task and its working directory, kept when it has staging to do.
        var staged: (task: UnitTask, directory: String)?
        /// While output is staged: how the unit's own run ended.
        var outcome: UnitOutcome?
        /// Seconds its input staging took (told when a worker reports its start).
        var stagedIn: Double?
    }

    private enum Phase { case stagingIn, running, stagingOut }

    private var slotMap: SlotMap
    /// `PILOT_NODE=<name>` for each node, made once.
    private let nodeVariables: [String]
    private let nodeLaunch: NodeLaunch
    private var queue = UnitQueue()
    private var running: [pid_t: RunningUnit] = [:]
    private var pidOfUnit: [String: pid_t] = [:]
    private let environment = UnitEnvironment()
    /// Read once: the agent changes no signal disposition after start.
    private let signalDefaults = SignalDefaults.ignoredNow()
    private let home: String
    private let report: UnitReports
    private var stopping = false
    private let onIdleAfterStop: () -> Void
    private let eventLoop: EventLoop
    private var emulation: EmulatedUnits?
    private var workers: NodeWorkers?
    private var stagers: StagerRuns?
    /// The last token given to a unit on a worker.
    private var lastToken: Int32 = 0

    /// - Parameters:
    ///   - allocation: the nodes and cores units run on.
    ///   - launchMethod: how units reach their nodes.
    ///   - report: collects started/finished records for the next flush.
    ///   - stopped: called once, after `stopAll`, when nothing runs any more.
    ///   - eventLoop: the loop this executor is confined to.
    ///   - emulate: sleep each unit's duration instead of running it.
    ///   - log: where node workers' starts and ends are told.
    init(allocation: Allocation, launchMethod: LaunchMethod, report: UnitReports, stopped: @escaping () -> Void,
         eventLoop: EventLoop, emulate: Bool, log: AgentLog) {
        slotMap = SlotMap(allocation)
        nodeVariables = allocation.nodes.map { "PILOT_NODE=\($0.name)" }
        nodeLaunch = NodeLaunch(method: launchMethod, allocation: allocation)
        self.eventLoop = eventLoop
        self.report = report
        onIdleAfterStop = stopped
        home = Environment.home
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        if emulate {
            emulation = EmulatedUnits(eventLoop: eventLoop) { pid in bound.value.reaped(pid, status: 0) }
            return
        }
        stagers = StagerRuns(eventLoop: eventLoop) { pid, report in bound.value.staged(pid, report) }
        if allocation.nodes.count > 1 {
            startWorkers(log: log)
        }
    }

    /// Starts a worker on each other node whose units may go through one.
    private func startWorkers(log: AgentLog) {
        guard let program = FileSystem.runningProgram() else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let workers = NodeWorkers(log: log, eventLoop: eventLoop, events: NodeWorkers.Events(
            report: { node, report in bound.value.workerReported(report, from: node) },
            ended: { node, reason in bound.value.workerEnded(node: node, reason: reason) }))
        for (node, entry) in slotMap.allocation.nodes.enumerated() {
            guard let arguments = nodeLaunch.workerArguments(node: node, executable: program, pilotID: log.pilotID) else { continue }
            workers.start(node: node, name: entry.name, arguments: arguments)
        }
        self.workers = workers
    }

    /// Reads part of a file on node `name` of the allocation through that
    /// node's worker; `answer` gets the chunk or the problem.
    func read(_ read: FileRead, onNode name: String, answer: @escaping (FileChunk) -> Void) {
        guard let node = nodes.firstIndex(where: { $0.name == name }), let workers else {
            answer(FileChunk(request: read.request, bytes: [], size: 0,
                             problem: "\(read.path) is on \(name), which is not a node of this pilot's allocation"))
            return
        }
        workers.read(read, on: node, answer: answer)
    }

    /// The units it holds: running (with pid and start time) and queued.
    var inventory: (running: [UnitStarted], queued: [String]) {
        // A unit sent to a worker that has not yet said it started has no pid: 0.
        (running.map { UnitStarted(id: $0.value.id, pid: $0.value.worker == nil ? $0.key : $0.value.workerPid ?? 0, time: $0.value.started,
                                   node: nodeName($0.value.shares)) },
         queue.ids)
    }

    /// Queues `tasks` and starts what fits. A unit this agent holds
    /// already (queued, running, or ran and not yet acknowledged) is a
    /// repeat from a restarted coordinator and is ignored.
    func enqueue(_ tasks: [UnitTask]) {
        for task in tasks {
            if queue.contains(task.id) || pidOfUnit[task.id] != nil || report.ranAndUnacknowledged(task.id) {
                continue
            } else if stopping {
                report.finished(task.id, .withdrawn)
            } else if let refusal = slotMap.refusal(slots: task.slots, spanning: task.spmdVariation == .mpi) {
                report.finished(task.id, .notStarted(reason: refusal))
            } else {
                queue.append(task)
            }
        }
        startWhatFits()
    }

    /// Cancels units: queued ones are dropped, running ones get SIGTERM to
    /// their process group and SIGKILL if they outlive a short grace.
    func cancel(_ ids: [String]) {
        for id in ids {
            if queue.remove(id) {
                report.finished(id, .canceled)
            } else if let pid = pidOfUnit[id], running[pid] != nil {
                running[pid]?.canceled = true
                stop(pid, id: id)
            }
        }
        startWhatFits()
    }

    /// SIGTERM to the unit's process group, SIGKILL if it outlives a short grace.
    private func stop(_ pid: pid_t, id: String) {
        signal(pid, SIGTERM)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: .milliseconds(500)) {
            if bound.value.running[pid]?.id == id { bound.value.signal(pid, SIGKILL) }
        }
    }

    /// Stops unit `id` (process `pid`) if it still runs once `limit` seconds have passed.
    private func enforce(limit: Double, on pid: pid_t, id: String) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: .nanoseconds(Int64(min(limit, 1e9) * 1e9))) {
            let executor = bound.value
            guard executor.running[pid]?.id == id, executor.running[pid]?.canceled == false else { return }
            executor.running[pid]?.timedOut = limit
            executor.stop(pid, id: id)
        }
    }

    /// Ends everything: queued units are handed back (withdrawn: they never
    /// started, so the coordinator may run them elsewhere), running ones are
    /// killed with their process groups; `stopped` fires when all are reaped.
    func stopAll() {
        stopping = true
        while let task = queue.popFirst() { report.finished(task.id, .withdrawn) }
        for (pid, _) in running {
            running[pid]?.canceled = true
            signal(pid, SIGKILL)
        }
        if running.isEmpty { onIdleAfterStop() }
    }

    /// The nodes units run on (the agent's own first).
    var nodes: [Allocation.Node] { slotMap.allocation.nodes }

    /// Node number `node` stopped answering (`reason` says how): nothing
    /// more is placed there, its units are killed (their launchers here)
    /// and end as lost with it, and queued units that no longer fit on the
    /// nodes left end as not started.
    func lose(node: Int, reason: String) {
        guard !slotMap.lost.contains(node) else { return }
        slotMap.lose(node)
        workers?.forget(node)
        for (pid, unit) in running where unit.shares.contains(where: { $0.node == node }) {
            running[pid]?.nodeLost = reason
            // A unit on the lost node's worker can be neither signalled nor heard from.
            if unit.worker == node { reapLater(pid, status: SIGKILL) } else { signal(pid, SIGKILL) }
        }
        for task in queue.tasks {
            guard let refusal = slotMap.refusal(slots: task.slots, spanning: task.spmdVariation == .mpi) else { continue }
            _ = queue.remove(task.id)
            report.finished(task.id, .notStarted(reason: refusal))
        }
    }

    /// Node `node`'s worker ended (`reason` says how): the units it ran end
    /// as lost with it, and what is left of their processes there is killed
    /// the way units reach that node without a worker (a worker killed
    /// outright cannot do it, and sshd does not).
    private func workerEnded(node: Int, reason: String) {
        var orphans: [String] = []
        for (pid, unit) in running where unit.worker == node {
            running[pid]?.nodeLost = reason
            reapLater(pid, status: SIGKILL)
            if let remote = unit.workerPid { orphans.append("-\(remote)") }
        }
        guard !orphans.isEmpty else { return }
        let kill = ["kill", "-KILL", "--"] + orphans
        _ = ProcessSpawner.spawn(SpawnRequest(
            arguments: nodeLaunch.arguments(kill, node: node, slots: 1, environment: [], directory: "/"),
            environment: environment.entries(own: []), workingDirectory: nil, input: nil, output: "/dev/null", error: "/dev/null"))
    }

    /// Node `node`'s worker's report on one of its units (`NodeWorkers`
    /// keeps the others). A report on a unit it does not run, or out of
    /// order, is ignored: a worker speaks only for its own units.
    private func workerReported(_ report: WorkerReport, from node: Int) {
        switch report {
        case .ready, .alive, .chunk:
            break
        case .started(let token, let pid):
            guard let unit = running[token], unit.worker == node, unit.workerPid == nil else { return }
            running[token]?.workerPid = pid
            self.report.started(unit.id, pid: pid, node: nodeName(unit.shares), stagedIn: unit.stagedIn)
        case .notStarted(let token, let reason):
            guard let unit = running[token], unit.worker == node, unit.workerPid == nil else { return }
            running[token] = nil
            pidOfUnit[unit.id] = nil
            slotMap.release(unit.shares)
            self.report.finished(unit.id, unit.canceled ? .canceled : .notStarted(reason: reason))
            afterUnitEnded()
        case .exited(let token, let status):
            guard running[token]?.worker == node, running[token]?.workerPid != nil else { return }
            reaped(token, status: status)
        }
    }

    /// Records the end of child `pid` and starts what now fits.
    func reaped(_ pid: pid_t, status: Int32) {
        if workers?.launcherEnded(pid, status: status) == true || stagers?.exited(pid, status: status) == true { return }
        guard let unit = running.removeValue(forKey: pid) else { return }
        pidOfUnit[unit.id] = nil
        let outcome: UnitOutcome
        if unit.canceled {
            outcome = .canceled
        } else if let reason = unit.nodeLost {
            outcome = .nodeLost(reason: reason)
        } else if let limit = unit.timedOut {
            outcome = .timedOut(limit: limit)
        } else {
            switch ExitStatus(waitStatus: status) {
            case .exited(let code): outcome = .exited(code: code)
            case .signaled(let signal): outcome = .signaled(signal: signal)
            }
        }
        if let (task, directory) = unit.staged, let staging = task.staging, !staging.output.isEmpty,
           outcome == .exited(code: 0) || (staging.outputAfterFailure && outcome.ran && unit.nodeLost == nil) {
            if nodeLaunch.isDirect(node: unit.shares[0].node), let quick = InlineStaging.run(staging.output, sandbox: directory) {
                switch quick {
                case .success(let tally): report.finished(unit.id, outcome, stagedOut: tally.seconds)
                case .failure(let failure):
                    report.finished(unit.id, .stagingFailed(reason: Self.stagingReason(failure.reason, after: outcome), ran: true))
                }
            } else if stage(task, staging.output, in: directory, on: unit.shares, after: outcome) {
                // Its slots stay held until its output is away.
                return
            }
        } else {
            report.finished(unit.id, outcome)
        }
        slotMap.release(unit.shares)
        afterUnitEnded()
    }

    /// Starts a stager for `task`'s `directives` on the node of `shares`:
    /// input staging when `outcome` is nil, else output staging after a
    /// run that ended so. False (and the unit reported ended) if it cannot start.
    private func stage(_ task: UnitTask, _ directives: [StagingDirective], in directory: String, on shares: [SlotMap.Share],
                       after outcome: UnitOutcome? = nil) -> Bool {
        let node = shares[0].node
        let started: Result<pid_t, SpawnFailure>
        if let stagers, let program = FileSystem.runningProgram() {
            let command = [program, "--stage"]
            let arguments = nodeLaunch.isDirect(node: node)
                ? command : nodeLaunch.arguments(command, node: node, slots: 1, environment: [], directory: "/")
            started = stagers.start(StagingPlan(directory: directory, directives: directives), arguments: arguments)
        } else {
            started = .failure(SpawnFailure("the agent cannot find its own program (/proc/self/exe) to stage with"))
        }
        switch started {
        case .success(let pid):
            running[pid] = RunningUnit(id: task.id, shares: shares, started: WallClock.now(),
                                       phase: outcome == nil ? .stagingIn : .stagingOut, staged: (task, directory), outcome: outcome)
            pidOfUnit[task.id] = pid
            if outcome == nil { report.staging(task.id) }
            return true
        case .failure(let failure):
            report.finished(task.id, .stagingFailed(reason: Self.stagingReason(failure.reason, after: outcome), ran: outcome != nil))
            return false
        }
    }

    /// A stager ended with `staged`'s report: the unit starts (input
    /// staged) or its end is reported (output staged).
    private func staged(_ pid: pid_t, _ staged: StagingReport) {
        guard let unit = running.removeValue(forKey: pid), let (task, directory) = unit.staged else { return }
        pidOfUnit[unit.id] = nil
        let outcome: UnitOutcome
        if unit.canceled {
            outcome = .canceled
        } else if let reason = unit.nodeLost {
            // Input staging lost with its node: the unit never ran and may run elsewhere.
            outcome = unit.phase == .stagingIn ? .withdrawn : .nodeLost(reason: reason)
        } else if let reason = staged.reason {
            outcome = .stagingFailed(reason: Self.stagingReason(reason, after: unit.outcome), ran: unit.outcome != nil)
        } else if unit.phase == .stagingIn {
            if !launch(task, in: directory, on: unit.shares, stagedIn: staged.tally?.seconds) {
                slotMap.release(unit.shares)
                afterUnitEnded()
            }
            return
        } else {
            outcome = unit.outcome ?? .exited(code: 0)
        }
        slotMap.release(unit.shares)
        report.finished(unit.id, outcome, stagedOut: unit.phase == .stagingOut ? staged.tally?.seconds : nil)
        afterUnitEnded()
    }

    /// A staging failure's reason; after a run, how the run ended first.
    private static func stagingReason(_ reason: String, after outcome: UnitOutcome?) -> String {
        switch outcome {
        case nil: return "input " + reason
        case .exited(let code)?: return "exited with code \(code), then output " + reason
        case let other?: return "ended (\(other)), then output " + reason
        }
    }

    /// A unit's slots came free: start what fits, or finish stopping.
    private func afterUnitEnded() {
        if stopping {
            if running.isEmpty { onIdleAfterStop() }
        } else {
            startWhatFits()
        }
    }

    private func startWhatFits() {
        while !stopping, let next = queue.first,
              let shares = slotMap.take(next.slots, spanning: next.spmdVariation == .mpi) {
            _ = queue.popFirst()
            if !start(next, on: shares) { slotMap.release(shares) }
        }
    }

    /// Signals a unit's process group (through its worker if one runs it);
    /// an emulated unit ends at once.
    private func signal(_ pid: pid_t, _ signal: Int32) {
        if pid > 0 {
            ProcessSpawner.signalGroup(pid, signal)
        } else if let node = running[pid]?.worker {
            workers?.send(.signal(token: pid, signal: signal), to: node)
        } else {
            reapLater(pid, status: signal)
        }
    }

    /// Ends unit `pid` as if reaped with `status`, on the next turn of the loop.
    private func reapLater(_ pid: pid_t, status: Int32) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute { bound.value.reaped(pid, status: status) }
    }

    /// Starts `task` on the cores `shares` holds; false (and the unit
    /// reported as not started) if it could not be started.
    private func start(_ task: UnitTask, on shares: [SlotMap.Share]) -> Bool {
        if let emulation {
            started(task, on: shares, pid: emulation.start(task))
            return true
        }
        let directory = task.workingDirectory.hasPrefix("~")
            ? home + task.workingDirectory.dropFirst()
            : task.workingDirectory
        if let problem = FileSystem.makeDirectories(directory) {
            report.finished(task.id, .notStarted(reason: problem))
            return false
        }
        if let input = task.staging?.input, !input.isEmpty {
            // Small local inputs are copied on the spot: a stager process would cost more than the unit.
            if nodeLaunch.isDirect(node: shares[0].node), let quick = InlineStaging.run(input, sandbox: directory) {
                report.staging(task.id)
                switch quick {
                case .success(let tally): return launch(task, in: directory, on: shares, stagedIn: tally.seconds)
                case .failure(let failure):
                    report.finished(task.id, .stagingFailed(reason: Self.stagingReason(failure.reason, after: nil), ran: false))
                    return false
                }
            }
            return stage(task, input, in: directory, on: shares)
        }
        return launch(task, in: directory, on: shares)
    }

    /// Starts `task`'s process in `directory` on the cores `shares` holds;
    /// false (and the unit reported as not started) if it could not be started.
    private func launch(_ task: UnitTask, in directory: String, on shares: [SlotMap.Share], stagedIn: Double? = nil) -> Bool {
        let node = shares[0].node
        var additions = [nodeVariables[node]]
        var machinefile: String?
        if task.spmdVariation == .mpi {
            let nodes = shares.map { Allocation.Node(name: slotMap.allocation.nodes[$0.node].name, slots: $0.slots) }
            switch MPILaunch.prepare(task, on: nodes, in: directory) {
            case .success(let launch):
                machinefile = launch.machinefile
                additions += launch.environment
            case .failure(let failure):
                report.finished(task.id, .notStarted(reason: failure.reason))
                return false
            }
        }
        var request = SpawnRequest(
            arguments: [], environment: environment.entries(for: task, adding: additions), workingDirectory: directory,
            input: task.input, output: task.output, error: task.error, signalDefaults: signalDefaults)
        // mpirun places its own ranks from the machinefile; other units go to their node.
        let direct = task.spmdVariation == .mpi || nodeLaunch.isDirect(node: node)
        let own = direct ? [] : environment.own(for: task, adding: additions)
        if !direct, let workers, workers.isReady(node) {
            lastToken = lastToken == Int32.min ? -1 : lastToken - 1
            // Held before the order goes out: a write that fails ends the worker at once, and its units with it.
            running[lastToken] = RunningUnit(id: task.id, shares: shares, started: WallClock.now(), worker: node,
                                             staged: task.staging.map { _ in (task, directory) }, stagedIn: stagedIn)
            pidOfUnit[task.id] = lastToken
            if let limit = task.timeLimit { enforce(limit: limit, on: lastToken, id: task.id) }
            workers.send(.spawn(WorkerSpawn(
                token: lastToken, attempts: UnitCommandLine.attempts(for: task), environment: own,
                workingDirectory: directory, input: task.input, output: task.output, error: task.error)), to: node)
            return true
        }
        var failure = SpawnFailure("no command to run")
        for program in UnitCommandLine.attempts(for: task, machinefile: machinefile) {
            request.arguments = direct ? program
                : nodeLaunch.arguments(program, node: node, slots: task.slots, environment: own, directory: directory)
            switch ProcessSpawner.spawn(request) {
            case .success(let pid):
                started(task, on: shares, pid: pid, directory: directory, stagedIn: stagedIn)
                if let limit = task.timeLimit { enforce(limit: limit, on: pid, id: task.id) }
                return true
            case .failure(let reason):
                failure = reason
            }
        }
        report.finished(task.id, .notStarted(reason: failure.reason))
        return false
    }

    private func started(_ task: UnitTask, on shares: [SlotMap.Share], pid: pid_t, directory: String = "", stagedIn: Double? = nil) {
        running[pid] = RunningUnit(id: task.id, shares: shares, started: WallClock.now(), staged: task.staging.map { _ in (task, directory) })
        pidOfUnit[task.id] = pid
        report.started(task.id, pid: pid, node: nodeName(shares), stagedIn: stagedIn)
    }

    /// The node a unit on `shares` runs on (its first), nil for the agent's own.
    private func nodeName(_ shares: [SlotMap.Share]) -> String? {
        guard let node = shares.first?.node, node > 0 else { return nil }
        return slotMap.allocation.nodes[node].name
    }
}
