import PilotModel

/// How a unit's command reaches the node it was placed on. By default
/// (`auto`) units on the agent's own node are spawned directly and units on
/// other nodes by that node's worker (`NodeWorkers`), which `srun` starts
/// inside a SLURM allocation and `ssh` elsewhere; until it is ready, or if
/// it cannot start, each unit goes through `srun` or `ssh` itself. A pilot
/// may ask for `srun` or `ssh` for every unit (sites that account or
/// confine per job step want srun).
struct NodeLaunch {
    let method: LaunchMethod
    let allocation: Allocation

    /// The argv that runs `program` with `slots` cores on node number `node`.
    /// `environment` holds the unit's own variables (ssh cannot carry the
    /// agent's whole environment: the remote side starts from its login
    /// environment plus these); `directory` is where it runs.
    func arguments(_ program: [String], node: Int, slots: Int, environment: [String], directory: String) -> [String] {
        let name = allocation.nodes[node].name
        switch route(node: node) {
        case .direct:
            return program
        case .srun:
            // --overlap: the pilot's batch step already holds these cores.
            return ["srun", "--nodes=1", "--ntasks=1", "--cpus-per-task=\(slots)", "--nodelist=\(name)",
                    "--overlap", "--quiet", "--"] + program
        case .ssh:
            return ["ssh", "-o", "BatchMode=yes", name, "exec sh -c " + ShellLine.quoted(Self.remoteScript(program, environment: environment, directory: directory))]
        }
    }

    /// The argv that starts a node worker (`pilot-agent --node-worker`,
    /// the program at `executable`) for pilot `pilotID` on node number
    /// `node`, nil when units there are not to go through one: the agent's
    /// own node, or a launch method the pilot chose for every unit.
    func workerArguments(node: Int, executable: String, pilotID: String) -> [String]? {
        guard method == .auto, node > 0 else { return nil }
        let worker = [executable, "--node-worker", pilotID]
        switch route(node: node) {
        case .direct:
            return nil
        case .srun:
            // --unbuffered: slurmstepd would hold the frames back until a newline.
            return ["srun", "--nodes=1", "--ntasks=1", "--cpus-per-task=\(allocation.nodes[node].slots)",
                    "--nodelist=\(allocation.nodes[node].name)", "--overlap", "--quiet", "--unbuffered", "--"] + worker
        case .ssh:
            return ["ssh", "-o", "BatchMode=yes", allocation.nodes[node].name, "exec " + worker.map(ShellLine.quoted).joined(separator: " ")]
        }
    }

    /// The sh script an ssh-launched unit runs under. Ending the local ssh
    /// (cancel, time limit) closes the connection, but sshd does not signal
    /// a command without a terminal; so a watcher polls sshd (the script's
    /// parent: the login shell execs sh) and stops the unit once it is gone.
    static func remoteScript(_ program: [String], environment: [String], directory: String) -> String {
        let unit = (environment + program).map(ShellLine.quoted).joined(separator: " ")
        return "cd \(ShellLine.quoted(directory)) || exit 127; env \(unit) <&0 & p=$!; "
            + "(while kill -0 $PPID 2>/dev/null; do sleep 1; done; kill -TERM $p 2>/dev/null) </dev/null >/dev/null 2>&1 & w=$!; "
            + "wait $p; s=$?; kill $w 2>/dev/null; exit $s"
    }

    /// Whether units on node number `node` are spawned directly.
    func isDirect(node: Int) -> Bool { route(node: node) == .direct }

    /// The way to one node, with `auto` resolved.
    private enum Route { case direct, srun, ssh }

    private func route(node: Int) -> Route {
        switch method {
        case .srun: return .srun
        case .ssh: return .ssh
        case .auto: return node == 0 ? .direct : (allocation.source == .slurm ? .srun : .ssh)
        }
    }
}
