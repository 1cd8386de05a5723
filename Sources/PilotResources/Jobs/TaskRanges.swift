/// Array task indices as batch systems list them: Grid Engine's `tasks`
/// field of a qstat entry ("4" for a running task, "5-10:1" or "5,7" for
/// pending ones) and SLURM's ArrayTaskId ("1-3", "1,4-9:2").
struct TaskRanges {
    /// Each part's first and last index and step.
    let parts: [(first: Int, last: Int, step: Int)]

    /// Reads `text`; malformed parts are left out.
    init(_ text: String) {
        parts = text.split(separator: ",").compactMap { part in
            let pieces = part.split(separator: ":")
            let bounds = pieces.first?.split(separator: "-").compactMap { Int($0) } ?? []
            let step = max(1, pieces.dropFirst().first.flatMap { Int($0) } ?? 1)
            switch bounds.count {
            case 1: return (bounds[0], bounds[0], 1)
            case 2 where bounds[0] <= bounds[1]: return (bounds[0], bounds[1], step)
            default: return nil
            }
        }
    }

    /// How many tasks.
    var count: Int {
        parts.reduce(0) { $0 + ($1.last - $1.first) / $1.step + 1 }
    }

    /// Whether task `index` is among them.
    func contains(_ index: Int) -> Bool {
        parts.contains { index >= $0.first && index <= $0.last && (index - $0.first) % $0.step == 0 }
    }

    /// Every index, in order of the parts.
    var indices: [Int] {
        parts.flatMap { Array(stride(from: $0.first, through: $0.last, by: $0.step)) }
    }
}
