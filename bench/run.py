#!/usr/bin/env python3
"""The benchmark suite: every figure of the throughput issue, each beside
the baseline it is judged against, measured in the same run.

    python3 bench/run.py              # build release, 3 rounds, print the table
    python3 bench/run.py --smoke      # tiny sizes, one round: correctness only

Each round runs the raw spawn baseline (bench/c/spawn_baseline.c) right
before each execution benchmark, so every ratio compares figures taken
seconds apart. The table shows the median of the rounds with min-max.
Exits 1 if any benchmark ran a unit wrongly (not Done, lost, counted twice).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLUSTER_ENV = Path(os.environ.get("PILOT_RM_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "pilot-rm"))) / "cluster" / "cluster.env"
FULL = dict(units=10_000, slots=2, linear_units=100_000, latency=1000, scale=1_000_000,
            pilots=1000, pilot_slots=64, many_units=500_000, duration=0.1, startup=10, imports=10,
            cluster_units=4000, agent_starts=10, stage_megabytes=1024, stage_files=10_000, stage_units=10_000)
SMOKE = dict(units=200, slots=2, linear_units=400, latency=20, scale=2000,
             pilots=4, pilot_slots=8, many_units=500, duration=0.01, startup=2, imports=2,
             cluster_units=60, agent_starts=1, stage_megabytes=4, stage_files=50, stage_units=50)


class Runner:
    def __init__(self, options):
        self.options = options
        self.sizes = SMOKE if options.smoke else FULL
        self.build = ROOT / ".build" / options.configuration
        self.work = Path(tempfile.mkdtemp(prefix="pilot-bench-"))
        # Every benchmark's sandboxes go under one directory removed at the end.
        self.sandbox = tempfile.mkdtemp(prefix="pilot-bench-", dir=options.sandbox_base)
        self.problems = []
        library = self.work / "lib"
        library.mkdir()
        (library / "libpilot.so").symlink_to(self.build / "libpilot.so")
        (library / "pilot.h").symlink_to(ROOT / "include" / "pilot.h")
        self.environment = dict(os.environ, PILOT_LIBRARY_DIR=str(library), PILOT_AGENT=str(self.build / "pilot-agent"),
                                PYTHONPATH=str(ROOT / "python"))

    def compile(self):
        cc = os.environ.get("CC", "cc")
        self.baseline = self.work / "spawn_baseline"
        self.c_throughput = self.work / "throughput"
        subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Werror", "-o", str(self.baseline),
                        str(ROOT / "bench" / "c" / "spawn_baseline.c")], check=True)
        subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Werror", "-I", str(ROOT / "include"), "-o", str(self.c_throughput),
                        str(ROOT / "bench" / "c" / "throughput.c"), "-L", str(self.build), "-lpilot",
                        f"-Wl,-rpath,{self.build}"], check=True)

    def run(self, *command):
        """Runs one benchmark program; returns its JSON line."""
        result = subprocess.run([str(part) for part in command], env=self.environment, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise SystemExit(f"bench: {' '.join(map(str, command))} failed ({result.returncode}):\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def swift(self, *arguments):
        return self.run(self.build / "pilot-bench", *arguments, "--sandbox-base", self.sandbox)

    def python(self, script, *arguments):
        return self.run(sys.executable, ROOT / "bench" / "python" / script, *arguments)

    def expect(self, name, condition, detail):
        if not condition:
            self.problems.append(f"{name}: {detail}")

    def all_done(self, name, result):
        units = result["units"]
        self.expect(name, result.get("states") == {"Done": units}, f"expected {units} Done, got {result.get('states')}")

    def round(self):
        """One round of every benchmark; returns {figure name: value}."""
        s = self.sizes
        figures = {}
        units, slots = str(s["units"]), str(s["slots"])

        def baseline():
            return self.run(self.baseline, "throughput", units, slots)["rate"]

        def throughput(name, result):
            self.all_done(name, result)
            base = baseline_rate
            figures[f"{name} units/s"] = result["rate"]
            figures[f"{name} ratio"] = result["rate"] / base

        wanted = self.options.only
        if not wanted or "throughput" in wanted:
            baseline_rate = baseline()
            figures["baseline units/s"] = baseline_rate
            throughput("swift", self.swift("throughput", "--units", units, "--slots", slots))
            baseline_rate = baseline()
            throughput("c", self.run(self.c_throughput, units, slots, self.sandbox))
            baseline_rate = baseline()
            throughput("python one by one", self.python("throughput.py", "--mode", "one", "--units", units,
                                                        "--slots", slots, "--sandbox-base", self.sandbox))
            baseline_rate = baseline()
            throughput("python bulk", self.python("throughput.py", "--mode", "bulk", "--units", units,
                                                  "--slots", slots, "--sandbox-base", self.sandbox))
            large = self.swift("throughput", "--units", str(s["linear_units"]), "--slots", slots)
            self.all_done("swift large", large)
            figures["swift N=%d units/s" % s["linear_units"]] = large["rate"]
            figures["linearity (large/small rate)"] = large["rate"] / figures["swift units/s"]
        if not wanted or "latency" in wanted:
            raw = self.run(self.baseline, "latency", str(s["latency"]))
            result = self.swift("latency", "--samples", str(s["latency"]))
            self.expect("latency", result["done"] == s["latency"], f"{result['done']} of {s['latency']} Done")
            figures["raw spawn-and-reap ms"] = raw["median_ms"]
            figures["latency median ms"] = result["median_ms"]
            figures["latency p99 ms"] = result["p99_ms"]
            figures["latency ratio"] = result["median_ms"] / raw["median_ms"]
        if not wanted or "scale" in wanted:
            result = self.swift("scale", "--units", str(s["scale"]))
            self.expect("scale", result["not_canceled"] == 0, f"{result['not_canceled']} units not canceled")
            figures["scale swift submit units/s"] = result["submit_rate"]
            figures["scale bytes per queued unit"] = result["bytes_per_unit"]
            figures["scale cancel all s"] = result["cancel_seconds"]
            result = self.python("scale.py", "--units", str(s["scale"]), "--sandbox-base", self.sandbox)
            figures["scale python bulk submit units/s"] = result["submit_rate"]
        if not wanted or "many-pilots" in wanted:
            result = self.swift("many-pilots", "--pilots", str(s["pilots"]), "--slots", str(s["pilot_slots"]),
                                "--units", str(s["many_units"]), "--duration", str(s["duration"]))
            self.all_done("many-pilots", result)
            figures["many pilots units/s"] = result["dispatch_rate"]
            figures["many pilots units/s incl. submission"] = result["rate"]
            figures["many pilots: pilots running after s"] = result["pilots_running_seconds"]
            result = self.swift("many-pilots", "--pilots", str(s["pilots"]), "--slots", str(s["pilot_slots"]),
                                "--units", str(s["many_units"]), "--duration", str(s["duration"]), "--link", "network")
            self.all_done("many-pilots over the network link", result)
            figures["many pilots over TCP links units/s"] = result["dispatch_rate"]
            figures["many pilots over TCP links: pilots running after s"] = result["pilots_running_seconds"]
        if "cluster" in wanted or (not wanted and CLUSTER_ENV.exists()):
            self.cluster(figures)
        if "staging" in wanted or (not wanted and CLUSTER_ENV.exists()):
            self.staging(figures)
        if not wanted or "progress" in wanted:
            result = self.python("progress.py", "--pilotctl", str(self.build / "pilotctl"), "--units", units,
                                 "--slots", slots, "--pairs", "1" if self.options.smoke else "5",
                                 "--sandbox-base", self.sandbox)
            self.expect("progress", result["lines_drawn"] >= 1 or self.options.smoke, "no progress line was drawn")
            figures["progress line on units/s"] = result["with_line_rate"]
            figures["progress line off units/s"] = result["without_line_rate"]
            figures["progress on / off"] = result["ratio"]
        if not wanted or "startup" in wanted:
            result = self.swift("startup", "--samples", str(s["startup"]))
            self.expect("startup", result["running"] == s["startup"], f"{result['running']} of {s['startup']} pilots ran")
            figures["pilot start median ms"] = result["start_median_ms"]
            figures["idle agent RSS MiB"] = result["agent_rss_mib"]
            result = self.python("import_time.py", "--samples", str(s["imports"]))
            figures["import pilot ms"] = result["median_ms"]
        return figures

    def cluster(self, figures):
        """A 3-node SLURM pilot on the simulated cluster against a fork
        pilot of the same slots, and the agent's start on a node."""
        if not CLUSTER_ENV.exists():
            self.problems.append(f"cluster: no {CLUSTER_ENV}; start the simulated cluster with bash .ci/rm-up.sh")
            return
        # The nodes have no Swift: their agent is the static one (.ci/build-static-agent.sh).
        agent = self.build / "pilot-agent-static"
        if not agent.exists():
            self.problems.append(f"cluster: no {agent}; build it with bash .ci/build-static-agent.sh")
            return
        environment = dict(self.environment, PILOT_AGENT=str(agent))
        for line in CLUSTER_ENV.read_text().splitlines():
            if line.startswith("export "):
                key, _, value = line[len("export "):].partition("=")
                environment[key] = value
        s = self.sizes
        result = subprocess.run([sys.executable, str(ROOT / "bench" / "python" / "cluster.py"), "--units", str(s["cluster_units"]),
                                 "--starts", str(s["agent_starts"])], env=environment, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise SystemExit(f"cluster.py failed:\n{result.stderr}")
        report = json.loads(result.stdout.splitlines()[-1])
        self.all_done("cluster", report)
        self.expect("cluster", report["hosts"] == ["node1", "node2", "node3"], f"units ran on {report['hosts']}")
        figures["3-node pilot units/s"] = report["cluster_rate"]
        figures["same-slots fork pilot units/s"] = report["fork_rate"]
        figures["3-node / fork ratio"] = report["ratio"]
        figures["agent start on a node median ms"] = report["agent_start_median_ms"]

    def staging(self, figures):
        """Staging to a node of the simulated cluster against scp, and units
        with a 1 KB input against units without."""
        if not CLUSTER_ENV.exists():
            self.problems.append(f"staging: no {CLUSTER_ENV}; start the simulated cluster with bash .ci/rm-up.sh")
            return
        s = self.sizes
        result = self.python("staging.py", "--agent", str(self.build / "pilot-agent"), "--megabytes", str(s["stage_megabytes"]),
                             "--files", str(s["stage_files"]), "--units", str(s["stage_units"]),
                             "--pairs", "1" if self.options.smoke else "5", "--sandbox-base", self.sandbox)
        figures["stage 1 file MB/s"] = s["stage_megabytes"] / result["stage_big_seconds"]
        figures["scp 1 file MB/s"] = s["stage_megabytes"] / result["scp_big_seconds"]
        figures["stage 1 file / scp"] = result["big_ratio"]
        figures["stage many files / scp -r"] = result["small_ratio"]
        figures["units with a 1 KB input units/s"] = result["staged_rate"]
        figures["units with input / without"] = result["units_ratio"]

    def close(self):
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.sandbox, ignore_errors=True)


TARGETS = {
    "python one by one ratio": (">=", 0.80), "python bulk ratio": (">=", 0.90), "swift ratio": (">=", 0.90),
    "c ratio": (">=", 0.90), "latency ratio": ("<=", 3.0), "latency median ms": ("<=", 2.0),
    "scale swift submit units/s": (">=", 200_000), "scale python bulk submit units/s": (">=", 50_000),
    "scale bytes per queued unit": ("<=", 1024), "many pilots units/s": (">=", 100_000),
    "many pilots over TCP links units/s": (">=", 100_000),
    "pilot start median ms": ("<=", 100), "idle agent RSS MiB": ("<=", 20), "import pilot ms": ("<=", 100),
    "linearity (large/small rate)": (">=", 0.90),
    "3-node / fork ratio": (">=", 0.90), "agent start on a node median ms": ("<=", 300),
    "stage 1 file / scp": (">=", 0.90), "stage many files / scp -r": (">=", 3.0), "units with input / without": (">=", 0.5),
}


def table(rounds, smoke):
    names = list(rounds[0])
    lines = [f"{'figure':40} {'median':>14} {'min - max':>27}  target"]
    for name in names:
        values = [figures[name] for figures in rounds]
        median = statistics.median(values)
        target = ""
        if name in TARGETS and not smoke:
            sense, bound = TARGETS[name]
            met = median >= bound if sense == ">=" else median <= bound
            target = f"{sense} {bound:g}  {'met' if met else 'NOT MET'}"
        lines.append(f"{name:40} {median:14.3f} {min(values):13.3f} - {max(values):11.3f}  {target}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round, correctness only")
    parser.add_argument("--repeat", type=int, help="rounds (default 3, smoke 1)")
    parser.add_argument("--only", type=lambda text: set(text.split(",")), default=set(),
                        help="comma list of: throughput, latency, scale, many-pilots, cluster, staging, progress, startup")
    parser.add_argument("--configuration", choices=["release", "debug"], default="release")
    parser.add_argument("--no-build", action="store_true", help="use the existing build")
    parser.add_argument("--sandbox-base", default="/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
                        help="where pilot sandboxes go (default tmpfs: see bench/README.md)")
    parser.add_argument("--json", help="also write every round's figures to this file")
    options = parser.parse_args()
    if not options.no_build:
        subprocess.run(["swift", "build", "-c", options.configuration], cwd=ROOT, check=True, stdin=subprocess.DEVNULL)
    runner = Runner(options)
    try:
        runner.compile()
        rounds = []
        for index in range(options.repeat or (1 if options.smoke else 3)):
            rounds.append(runner.round())
            print(f"round {index + 1} done", file=sys.stderr, flush=True)
    finally:
        runner.close()
    print(table(rounds, options.smoke))
    if options.json:
        Path(options.json).write_text(json.dumps(rounds, indent=1))
    if runner.problems:
        print("\nWRONG RESULTS:\n" + "\n".join(runner.problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
