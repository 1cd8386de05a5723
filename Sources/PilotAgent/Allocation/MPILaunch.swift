import Glibc
import PilotLink
import PilotModel
import PilotSystem

/// What an MPI unit needs besides `mpirun -np N`: a machinefile naming its
/// slots (each node it was placed on with its share of cores), and, when
/// the agent runs as root (as in containers and CI), Open MPI's consent.
struct MPILaunch {
    /// The machinefile's path (`machinefile-<unit id>` in the unit's directory).
    var machinefile: String
    /// Variables added to the unit's environment.
    var environment: [String]

    static func prepare(_ task: UnitTask, on nodes: [Allocation.Node], in directory: String) -> Result<MPILaunch, SpawnFailure> {
        let path = directory + "/machinefile-\(task.id)"
        let lines = nodes.map { "\($0.name) slots=\($0.slots)\n" }.joined()
        if let problem = FileSystem.write(lines, to: path, mode: 0o644) {
            return .failure(SpawnFailure("cannot write the MPI machinefile: \(problem)"))
        }
        let root = geteuid() == 0 ? ["OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"] : []
        return .success(MPILaunch(machinefile: path, environment: root))
    }
}
