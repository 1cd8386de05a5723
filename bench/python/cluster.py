"""Pilots across hosts on the simulated cluster (.ci/rm/cluster-up.sh; run
with its SLURM_CONF): N `/bin/true` units on a 3-node SLURM pilot against
a fork pilot on this host with the same total slots, in alternating pairs
(the best of each kind counts: the nodes share this machine's cores, and
a background burst would otherwise decide the ratio); and the agent's start
on a node (its first log line to its link being up) over several pilots."""

import argparse
import os
import shutil
import statistics
import time
import uuid

import pilot
from common import report, tally

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--units", type=int, default=3000)
parser.add_argument("--nodes", type=int, default=3)
parser.add_argument("--slots-per-node", type=int, default=2)
parser.add_argument("--starts", type=int, default=5)
parser.add_argument("--pairs", type=int, default=5, help="fork and cluster runs, alternating")
parser.add_argument("--directory", default="/tmp", help="under which sandboxes go: the nodes must see it")
options = parser.parse_args()
slots = options.nodes * options.slots_per_node


def run_units(url, extra, count=options.units):
    """Seconds for `count` units on one pilot at `url` (once it runs), their states and the pilot's log."""
    directory = os.path.join(options.directory, f"pilot-bench-cluster-{uuid.uuid4().hex[:8]}")
    pilots = pilot.PilotComputeService()
    pj = pilots.create_pilot(dict({"service_url": url, "number_of_processes": slots, "working_directory": directory}, **extra))
    service = pilot.ComputeDataService()
    service.add_pilot_compute_service(pilots)
    deadline = time.time() + 120
    while pj.get_state() != "Running" and time.time() < deadline:
        time.sleep(0.01)
    began = time.perf_counter()
    units = service.submit_compute_units([{"executable": "/bin/true"}] * count)
    service.wait()
    seconds = time.perf_counter() - began
    states = tally(units)
    hosts = {unit.get_details()["run_host"] for unit in units[:: max(1, len(units) // 50)]}
    service.cancel()
    pilots.cancel()
    log = ""
    for name in os.listdir(directory):
        if name.startswith("stderr-") and name.endswith("-agent.txt"):
            log = open(os.path.join(directory, name)).read()
    shutil.rmtree(directory, ignore_errors=True)
    return seconds, states, hosts, log


def agent_start_ms(log):
    """From the agent's first log line (its process started) to its link being up."""
    stamps = [float(line.split()[0]) for line in log.splitlines() if line.split() and line.split()[0][0].isdigit()]
    linked = [float(line.split()[0]) for line in log.splitlines() if " linked to the coordinator" in line]
    return (linked[0] - stamps[0]) * 1000 if stamps and linked else None


fork_runs, cluster_runs = [], []
for _ in range(options.pairs):
    fork_runs.append(run_units("fork://localhost", {}))
    cluster_runs.append(run_units("slurm://localhost", {"processes_per_node": options.slots_per_node}))
for _, states, _, _ in fork_runs + cluster_runs:
    if states != {"Done": options.units}:
        raise SystemExit(f"not every unit ended Done: {states}")
fork_seconds, fork_states, _, _ = min(fork_runs, key=lambda run: run[0])
cluster_seconds, cluster_states, hosts, _ = min(cluster_runs, key=lambda run: run[0])
starts = []
for _ in range(options.starts):
    _, _, _, log = run_units("slurm://localhost", {"processes_per_node": options.slots_per_node}, count=slots)
    started = agent_start_ms(log)
    if started is not None:
        starts.append(started)
report("cluster", units=options.units, slots=slots, nodes=options.nodes,
       fork_seconds=fork_seconds, cluster_seconds=cluster_seconds,
       fork_rate=options.units / fork_seconds, cluster_rate=options.units / cluster_seconds,
       ratio=fork_seconds / cluster_seconds, pair_ratios=[f[0] / c[0] for f, c in zip(fork_runs, cluster_runs)], hosts=sorted(hosts), agent_start_median_ms=statistics.median(starts) if starts else None,
       agent_starts=len(starts), states=cluster_states, fork_states=fork_states)
