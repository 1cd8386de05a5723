/// The nodes and cores a pilot's job was given, as the resource manager
/// tells the job through its environment (SLURM, Grid Engine, PBS), or this
/// host alone when no resource manager started the agent.
struct Allocation: Equatable {
    /// One node of the allocation.
    struct Node: Equatable {
        /// The name the resource manager uses (and ssh or srun reach it by).
        var name: String
        /// Cores the job holds there.
        var slots: Int
    }

    /// Who granted the nodes; it decides how units reach the other nodes.
    enum Source: String, Equatable {
        case slurm = "SLURM"
        case gridEngine = "Grid Engine"
        case pbs = "PBS"
        case thisHost = "this host"
    }

    /// The nodes, the agent's own first.
    var nodes: [Node]
    var source: Source

    /// Total cores.
    var slots: Int { nodes.reduce(0) { $0 + $1.slots } }

    /// Reads the allocation through `environment` (a variable's value by
    /// name): SLURM_JOB_NODELIST with SLURM_JOB_CPUS_PER_NODE (or
    /// SLURM_CPUS_ON_NODE), Grid Engine's PE_HOSTFILE (or NSLOTS),
    /// PBS_NODEFILE; else `hostName` with `slots`.
    /// `read` returns a file's text. Errors name the variable that was wrong.
    static func discover(environment: (String) -> String?, slots: Int, hostName: String,
                         read: (String) -> String?) -> Result<Allocation, AllocationError> {
        if let list = environment("SLURM_JOB_NODELIST"), environment("SLURM_JOB_ID") != nil {
            return slurm(list, environment: environment).map { nodes in
                Allocation(nodes: localFirst(nodes, local: environment("SLURMD_NODENAME") ?? hostName), source: .slurm)
            }
        }
        if let path = environment("PE_HOSTFILE") {
            guard let text = read(path) else { return .failure(AllocationError("PE_HOSTFILE \(path) cannot be read")) }
            return gridEngine(text).map { Allocation(nodes: localFirst($0, local: hostName), source: .gridEngine) }
        }
        if let count = environment("NSLOTS").flatMap(Int.init), environment("JOB_ID") != nil, count > 0 {
            return .success(Allocation(nodes: [Node(name: hostName, slots: count)], source: .gridEngine))
        }
        if let path = environment("PBS_NODEFILE") {
            guard let text = read(path) else { return .failure(AllocationError("PBS_NODEFILE \(path) cannot be read")) }
            return pbs(text).map { Allocation(nodes: localFirst($0, local: hostName), source: .pbs) }
        }
        return .success(Allocation(nodes: [Node(name: hostName, slots: slots)], source: .thisHost))
    }

    /// The first `slots` cores, taken node by node in order (a job may be
    /// given more than the pilot asked for; the coordinator counts on `slots`).
    func limited(to slots: Int) -> Allocation {
        var left = slots
        var kept: [Node] = []
        for node in nodes where left > 0 {
            kept.append(Node(name: node.name, slots: min(node.slots, left)))
            left -= kept[kept.count - 1].slots
        }
        return Allocation(nodes: kept, source: source)
    }

    private static func slurm(_ list: String, environment: (String) -> String?) -> Result<[Node], AllocationError> {
        guard let names = SlurmHostList.expand(list), !names.isEmpty else {
            return .failure(AllocationError("SLURM_JOB_NODELIST '\(list)' is not a SLURM host list"))
        }
        let counts: [Int]
        if let text = environment("SLURM_JOB_CPUS_PER_NODE") {
            guard let parsed = SlurmHostList.counts(text), parsed.count == names.count else {
                return .failure(AllocationError("SLURM_JOB_CPUS_PER_NODE '\(text)' does not give a core count for each of the \(names.count) nodes"))
            }
            counts = parsed
        } else if let each = environment("SLURM_CPUS_ON_NODE").flatMap(Int.init) {
            counts = Array(repeating: each, count: names.count)
        } else {
            return .failure(AllocationError("SLURM_JOB_NODELIST is set but neither SLURM_JOB_CPUS_PER_NODE nor SLURM_CPUS_ON_NODE is"))
        }
        return .success(zip(names, counts).filter { $0.1 > 0 }.map { Node(name: $0.0, slots: $0.1) })
    }

    /// Lines of `host slots queue processors`.
    private static func gridEngine(_ text: String) -> Result<[Node], AllocationError> {
        var nodes: [Node] = []
        for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 2, let slots = Int(fields[1]), slots > 0 else {
                return .failure(AllocationError("PE_HOSTFILE line '\(line)' is not 'host slots queue processors'"))
            }
            nodes.append(Node(name: String(fields[0]), slots: slots))
        }
        return nodes.isEmpty ? .failure(AllocationError("PE_HOSTFILE names no host")) : .success(merged(nodes))
    }

    /// One host name per core, a host's lines not necessarily together.
    private static func pbs(_ text: String) -> Result<[Node], AllocationError> {
        let nodes = text.split(separator: "\n").map(\.trimmed).filter { !$0.isEmpty }.map { Node(name: $0, slots: 1) }
        return nodes.isEmpty ? .failure(AllocationError("PBS_NODEFILE names no host")) : .success(merged(nodes))
    }

    /// Nodes named more than once become one, in order of first mention.
    private static func merged(_ nodes: [Node]) -> [Node] {
        var result: [Node] = []
        var index: [String: Int] = [:]
        for node in nodes {
            if let at = index[node.name] {
                result[at].slots += node.slots
            } else {
                index[node.name] = result.count
                result.append(node)
            }
        }
        return result
    }

    /// `nodes` with the agent's own (`local`, compared with and without a
    /// domain) moved to the front; the first node is taken as its own if
    /// none matches, since the job script runs on one of its nodes.
    private static func localFirst(_ nodes: [Node], local: String) -> [Node] {
        let short = local.prefix { $0 != "." }
        guard let at = nodes.firstIndex(where: { $0.name == local || $0.name.prefix { $0 != "." } == short }) else { return nodes }
        var ordered = nodes
        ordered.insert(ordered.remove(at: at), at: 0)
        return ordered
    }
}

/// Why the resource manager's description of the allocation was not usable.
struct AllocationError: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
