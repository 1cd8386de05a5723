import PilotModel

/// Turns a unit's command into the argv the agent spawns.
enum UnitCommandLine {
    /// The argv for `task`: argv mode as given, shell mode through bash,
    /// MPI units under `mpirun -np <slots>`.
    static func arguments(for task: UnitTask) -> [String] {
        let program: [String]
        switch task.command {
        case .argv(let argv): program = argv
        case .shell(let line): program = ["/bin/bash", "-c", line]
        }
        switch task.spmdVariation {
        case .single: return program
        case .mpi: return ["mpirun", "-np", String(task.slots)] + program
        }
    }
}
