import ArgumentParser

/// `pilot-bench`: the Swift side of the benchmark suite in `bench/`. Each
/// subcommand prints one JSON line of absolute figures; `bench/run.py`
/// runs them beside the raw spawn baseline and computes the ratios.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot-bench",
        abstract: "Benchmarks of the pilot core through its Swift API (run by bench/run.py).",
        subcommands: [
            ThroughputBench.self, LatencyBench.self, ScaleBench.self, ManyPilotsBench.self, StartupBench.self,
        ])
}
