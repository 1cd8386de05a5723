@testable import PilotAgent
import PilotModel
import XCTest

/// Reading the allocation a resource manager gives a pilot's job, in the
/// notations SLURM, Grid Engine and PBS document.
final class AllocationTests: XCTestCase {
    func testSlurmHostLists() {
        XCTAssertEqual(SlurmHostList.expand("localhost"), ["localhost"])
        XCTAssertEqual(SlurmHostList.expand("node[01-03,07],gpu5"), ["node01", "node02", "node03", "node07", "gpu5"])
        XCTAssertEqual(SlurmHostList.expand("rack[1-2]n[8-9]"), ["rack1n8", "rack1n9", "rack2n8", "rack2n9"])
        XCTAssertEqual(SlurmHostList.expand("c[098-101]"), ["c098", "c099", "c100", "c101"])
        for malformed in ["node[01-03", "node[3-1]", "node[a-b]", "node]", "node[]", "n[1-2]x]"] {
            XCTAssertNil(SlurmHostList.expand(malformed), malformed)
        }
        XCTAssertEqual(SlurmHostList.counts("2(x3),1"), [2, 2, 2, 1])
        XCTAssertEqual(SlurmHostList.counts("16"), [16])
        XCTAssertNil(SlurmHostList.counts("2(3)"))
        XCTAssertNil(SlurmHostList.counts("two"))
    }

    func testSlurmAllocationPutsTheAgentsNodeFirst() {
        let environment = ["SLURM_JOB_ID": "7", "SLURM_JOB_NODELIST": "n[1-3]", "SLURM_JOB_CPUS_PER_NODE": "4(x2),2",
                           "SLURMD_NODENAME": "n2"]
        let allocation = Allocation.discover(environment: { environment[$0] }, slots: 10, hostName: "ignored", read: { _ in nil })
        XCTAssertEqual(allocation, .success(Allocation(nodes: [node("n2", 4), node("n1", 4), node("n3", 2)], source: .slurm)))
        let mismatched = ["SLURM_JOB_ID": "7", "SLURM_JOB_NODELIST": "n[1-3]", "SLURM_JOB_CPUS_PER_NODE": "4(x2)"]
        XCTAssertEqual(Allocation.discover(environment: { mismatched[$0] }, slots: 10, hostName: "n1", read: { _ in nil }),
                       .failure(AllocationError("SLURM_JOB_CPUS_PER_NODE '4(x2)' does not give a core count for each of the 3 nodes")))
    }

    func testGridEngineAndPbsFiles() {
        let hostfile = "a.cluster 2 all.q@a.cluster UNDEFINED\nb.cluster 4 all.q@b.cluster UNDEFINED\n"
        let files = ["/pe": hostfile, "/nodes": "b\na\nb\nb\n", "/bad": "a.cluster two all.q\n"]
        let read = { (path: String) in files[path] }
        XCTAssertEqual(Allocation.discover(environment: { ["PE_HOSTFILE": "/pe"][$0] }, slots: 6, hostName: "b", read: read),
                       .success(Allocation(nodes: [node("b.cluster", 4), node("a.cluster", 2)], source: .gridEngine)))
        XCTAssertEqual(Allocation.discover(environment: { ["PBS_NODEFILE": "/nodes"][$0] }, slots: 4, hostName: "a.example", read: read),
                       .success(Allocation(nodes: [node("a", 1), node("b", 3)], source: .pbs)))
        XCTAssertEqual(Allocation.discover(environment: { ["PE_HOSTFILE": "/bad"][$0] }, slots: 4, hostName: "a", read: read),
                       .failure(AllocationError("PE_HOSTFILE line 'a.cluster two all.q' is not 'host slots queue processors'")))
        XCTAssertEqual(Allocation.discover(environment: { ["PBS_NODEFILE": "/gone"][$0] }, slots: 4, hostName: "a", read: read),
                       .failure(AllocationError("PBS_NODEFILE /gone cannot be read")))
        XCTAssertEqual(Allocation.discover(environment: { _ in nil }, slots: 3, hostName: "here", read: read),
                       .success(Allocation(nodes: [node("here", 3)], source: .thisHost)))
    }

    func testAnAllocationIsLimitedToThePilotsSlots() {
        let allocation = Allocation(nodes: [node("a", 4), node("b", 4)], source: .pbs)
        XCTAssertEqual(allocation.limited(to: 6).nodes, [node("a", 4), node("b", 2)])
        XCTAssertEqual(allocation.limited(to: 3).nodes, [node("a", 3)])
    }

    func testUnitsTakeOneNodeUnlessTheySpanForMPI() {
        var slots = SlotMap(Allocation(nodes: [node("a", 2), node("b", 4)], source: .slurm))
        XCTAssertEqual(slots.take(3, spanning: false), [SlotMap.Share(node: 1, slots: 3)])
        XCTAssertEqual(slots.take(2, spanning: false), [SlotMap.Share(node: 0, slots: 2)])
        XCTAssertNil(slots.take(2, spanning: true), "1 core free")
        slots.release([SlotMap.Share(node: 0, slots: 2)])
        XCTAssertNil(slots.take(3, spanning: false), "2 and 1 free: no node has 3")
        XCTAssertEqual(slots.take(3, spanning: true), [SlotMap.Share(node: 0, slots: 2), SlotMap.Share(node: 1, slots: 1)])
        XCTAssertEqual(slots.refusal(slots: 7, spanning: true), "unit needs 7 slots but this pilot has 6")
        XCTAssertEqual(slots.refusal(slots: 5, spanning: false),
                       "unit needs 5 slots on one node but this pilot's nodes have at most 4; use spmd_variation 'mpi' to span nodes")
        XCTAssertNil(slots.refusal(slots: 5, spanning: true))
    }

    func testUnitsReachOtherNodesThroughSrunOrSsh() {
        let program = ["/bin/echo", "it's"]
        let slurm = NodeLaunch(method: .auto, allocation: Allocation(nodes: [node("a", 2), node("b", 2)], source: .slurm))
        XCTAssertTrue(slurm.isDirect(node: 0))
        XCTAssertEqual(slurm.arguments(program, node: 1, slots: 2, environment: [], directory: "/w"),
                       ["srun", "--nodes=1", "--ntasks=1", "--cpus-per-task=2", "--nodelist=b", "--overlap", "--quiet", "--", "/bin/echo", "it's"])
        let pbs = NodeLaunch(method: .auto, allocation: Allocation(nodes: [node("a", 2), node("b", 2)], source: .pbs))
        let script = NodeLaunch.remoteScript(program, environment: ["PILOT_NODE=b"], directory: "/w d")
        XCTAssertTrue(script.hasPrefix("cd '/w d' || exit 127; env 'PILOT_NODE=b' '/bin/echo' 'it'\\''s' <&0 & p=$!;"), script)
        XCTAssertEqual(pbs.arguments(program, node: 1, slots: 1, environment: ["PILOT_NODE=b"], directory: "/w d"),
                       ["ssh", "-o", "BatchMode=yes", "b", "exec sh -c " + ShellLine.quoted(script)])
        let everywhere = NodeLaunch(method: .srun, allocation: Allocation(nodes: [node("a", 2)], source: .slurm))
        XCTAssertFalse(everywhere.isDirect(node: 0))
    }

    func testOtherNodesGetAWorkerThroughSrunOrSshUnlessEveryUnitIsToGoItsOwnWay() {
        let nodes = [node("a", 2), node("b", 3)]
        let slurm = NodeLaunch(method: .auto, allocation: Allocation(nodes: nodes, source: .slurm))
        XCTAssertNil(slurm.workerArguments(node: 0, executable: "/s/pilot-agent", pilotID: "bj-1"))
        XCTAssertEqual(slurm.workerArguments(node: 1, executable: "/s/pilot-agent", pilotID: "bj-1"),
                       ["srun", "--nodes=1", "--ntasks=1", "--cpus-per-task=3", "--nodelist=b", "--overlap", "--quiet", "--unbuffered",
                        "--", "/s/pilot-agent", "--node-worker", "bj-1"])
        let gridEngine = NodeLaunch(method: .auto, allocation: Allocation(nodes: nodes, source: .gridEngine))
        XCTAssertEqual(gridEngine.workerArguments(node: 1, executable: "/my dir/pilot-agent", pilotID: "bj-1"),
                       ["ssh", "-o", "BatchMode=yes", "b", "exec '/my dir/pilot-agent' '--node-worker' 'bj-1'"])
        for method in [LaunchMethod.srun, .ssh] {
            let chosen = NodeLaunch(method: method, allocation: Allocation(nodes: nodes, source: .slurm))
            XCTAssertNil(chosen.workerArguments(node: 1, executable: "/s/pilot-agent", pilotID: "bj-1"))
        }
    }

    private func node(_ name: String, _ slots: Int) -> Allocation.Node {
        Allocation.Node(name: name, slots: slots)
    }
}
