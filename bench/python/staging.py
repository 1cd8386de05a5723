"""Staging against its baselines, measured in the same run, in alternating
pairs (the best of each kind counts; the machine is noisy):

- one large file to a node of the simulated cluster over ssh: the stager
  (`pilot-agent --stage`, as an agent runs it) against `scp` of the file;
- a directory of many 1 KB files to the node: the stager (one tar stream
  over one connection) against `scp -r` of the directory;
- units each with a 1 KB input staged in (input_staging from a local
  file) against the same units without it, on a fork pilot."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

from common import Pilots, report, tally

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--agent", required=True, help="the pilot-agent that stages")
parser.add_argument("--node", default="node1")
parser.add_argument("--megabytes", type=int, default=1024)
parser.add_argument("--files", type=int, default=10_000)
parser.add_argument("--units", type=int, default=10_000)
parser.add_argument("--slots", type=int, default=2)
parser.add_argument("--pairs", type=int, default=3)
parser.add_argument("--sandbox-base", default="/tmp")
options = parser.parse_args()

work = tempfile.mkdtemp(prefix="pilot-bench-staging-")
remote = f"/scratch/pilot-bench-{uuid.uuid4().hex[:8]}"


def on_node(command):
    subprocess.run(["ssh", "-o", "BatchMode=yes", options.node, command], check=True, capture_output=True)


def timed(command, **keywords):
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **keywords)
    return time.perf_counter() - began


def stage(source, target):
    plan = json.dumps({"directory": work, "directives": [{"source": source, "target": target, "action": "copy"}]})
    return timed([options.agent, "--stage"], input=plan.encode())


def pairs(baseline, ours):
    """Best seconds of each over alternating runs; each run starts from an empty target."""
    base, mine = [], []
    for _ in range(options.pairs):
        on_node(f"rm -rf {remote} && mkdir -p {remote}")
        base.append(baseline())
        on_node(f"rm -rf {remote} && mkdir -p {remote}")
        mine.append(ours())
    return min(base), min(mine)


def unit_rate(with_input):
    pilots = Pilots(options.slots, options.sandbox_base)
    description = {"executable": "/bin/true"}
    if with_input:
        description["input_staging"] = [os.path.join(work, "input.dat")]
    began = time.perf_counter()
    units = pilots.service.submit_compute_units([description] * options.units)
    pilots.service.wait()
    seconds = time.perf_counter() - began
    states = tally(units)
    pilots.close()
    if states != {"Done": options.units}:
        raise SystemExit(f"not every unit ended Done: {states}")
    return options.units / seconds


try:
    big = os.path.join(work, "big.bin")
    with open(big, "wb") as out:
        for _ in range(options.megabytes):
            out.write(os.urandom(1 << 20))
    small = os.path.join(work, "small")
    os.mkdir(small)
    for n in range(options.files):
        with open(os.path.join(small, f"f{n:05d}.dat"), "wb") as out:
            out.write(os.urandom(1024))
    with open(os.path.join(work, "input.dat"), "wb") as out:
        out.write(os.urandom(1024))
    scp_big, stage_big = pairs(lambda: timed(["scp", "-q", "-o", "BatchMode=yes", big, f"{options.node}:{remote}/"]),
                               lambda: stage(big, f"ssh://{options.node}{remote}/"))
    scp_small, stage_small = pairs(lambda: timed(["scp", "-q", "-r", "-o", "BatchMode=yes", small, f"{options.node}:{remote}/"]),
                                   lambda: stage(small, f"ssh://{options.node}{remote}/"))
    plain, staged = [], []
    for _ in range(options.pairs):
        plain.append(unit_rate(False))
        staged.append(unit_rate(True))
    report("staging", megabytes=options.megabytes, files=options.files, units=options.units,
           scp_big_seconds=scp_big, stage_big_seconds=stage_big, big_ratio=scp_big / stage_big,
           scp_small_seconds=scp_small, stage_small_seconds=stage_small, small_ratio=scp_small / stage_small,
           plain_rate=max(plain), staged_rate=max(staged), units_ratio=max(staged) / max(plain))
finally:
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["ssh", "-o", "BatchMode=yes", options.node, f"rm -rf {remote}"], capture_output=True)
