import PilotLink
import PilotModel

/// Turns a unit's command into the argv lists the agent tries, in order.
enum UnitCommandLine {
    /// argv mode: the argv as given. Shell mode: the line's words run
    /// directly when bash would do nothing else with it (see `ShellLine`),
    /// with `/bin/bash -c line` as the fallback if that spawn fails, so
    /// failures look exactly as under bash; otherwise bash alone. MPI units
    /// run each under `mpirun -np <slots> --hostfile <machinefile>`.
    static func attempts(for task: UnitTask, machinefile: String? = nil) -> [[String]] {
        let programs: [[String]]
        switch task.command {
        case .argv(let argv):
            programs = [argv]
        case .shell(let line):
            let shell = ["/bin/bash", "-c", line]
            programs = ShellLine.directArguments(line).map { [$0, shell] } ?? [shell]
        }
        switch task.spmdVariation {
        case .single: return programs
        case .mpi:
            let hosts = machinefile.map { ["--hostfile", $0] } ?? []
            return programs.map { ["mpirun", "-np", String(task.slots)] + hosts + $0 }
        }
    }
}
