/// Which cores of the allocation are free, node by node. A unit of one
/// process (or one that shares memory: any non-MPI unit) needs all its
/// slots on one node; an MPI unit may span nodes. Nodes are tried in
/// order, the agent's own first, so a one-node pilot packs as before.
struct SlotMap {
    /// Part of a unit's placement: `slots` cores on node number `node`.
    struct Share: Equatable {
        var node: Int
        var slots: Int
    }

    let allocation: Allocation
    private var free: [Int]
    private var totalFree: Int
    /// Nodes that stopped answering: their cores are gone for good.
    private(set) var lost: Set<Int> = []

    init(_ allocation: Allocation) {
        self.allocation = allocation
        free = allocation.nodes.map(\.slots)
        totalFree = allocation.slots
    }

    /// All cores of the nodes not lost.
    var capacity: Int {
        allocation.nodes.indices.filter { !lost.contains($0) }.reduce(0) { $0 + allocation.nodes[$1].slots }
    }

    /// The most cores on one node not lost.
    var largestNode: Int {
        allocation.nodes.indices.filter { !lost.contains($0) }.map { allocation.nodes[$0].slots }.max() ?? 0
    }

    /// Node `node` is gone: nothing more is placed there, and what units
    /// held there is not given back.
    mutating func lose(_ node: Int) {
        guard lost.insert(node).inserted else { return }
        totalFree -= free[node]
        free[node] = 0
    }

    /// Why a unit of `slots` cores can never run here; nil if it can.
    func refusal(slots: Int, spanning: Bool) -> String? {
        if slots < 1 || slots > capacity {
            return "unit needs \(slots) slots but this pilot has \(capacity)\(lost.isEmpty ? "" : " (after losing \(lostNames))")"
        }
        if !spanning && slots > largestNode {
            return "unit needs \(slots) slots on one node but this pilot's nodes have at most \(largestNode); use spmd_variation 'mpi' to span nodes"
        }
        return nil
    }

    /// The lost nodes' names, for messages.
    private var lostNames: String {
        lost.sorted().map { allocation.nodes[$0].name }.joined(separator: ", ")
    }

    /// Takes `slots` cores now, on one node or (`spanning`) across nodes;
    /// nil if they are not free.
    mutating func take(_ slots: Int, spanning: Bool) -> [Share]? {
        guard slots <= totalFree else { return nil }
        if !spanning {
            guard let node = free.firstIndex(where: { $0 >= slots }) else { return nil }
            free[node] -= slots
            totalFree -= slots
            return [Share(node: node, slots: slots)]
        }
        var shares: [Share] = []
        var left = slots
        for node in free.indices where left > 0 && free[node] > 0 {
            let taken = min(free[node], left)
            free[node] -= taken
            left -= taken
            shares.append(Share(node: node, slots: taken))
        }
        totalFree -= slots
        return shares
    }

    /// Gives back what `take` returned.
    mutating func release(_ shares: [Share]) {
        for share in shares where !lost.contains(share.node) {
            free[share.node] += share.slots
            totalFree += share.slots
        }
    }
}
