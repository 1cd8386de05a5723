"""Shared by the Python benchmarks: a fork pilot behind a ComputeDataService,
and one JSON line of results on stdout (bench/run.py reads it)."""

import json
import os
import shutil
import uuid

import pilot


class Pilots:
    """One fork pilot with `slots` slots under `base`, added to a new
    late-binding ComputeDataService; `close()` cancels it and removes its sandbox."""

    def __init__(self, slots, base):
        self.directory = os.path.join(base, f"pilot-bench-py-{uuid.uuid4().hex[:8]}")
        self.pilots = pilot.PilotComputeService()
        self.pilot = self.pilots.create_pilot({"service_url": "fork://localhost", "number_of_processes": slots,
                                               "working_directory": self.directory})
        self.service = pilot.ComputeDataService()
        self.service.add_pilot_compute_service(self.pilots)

    def close(self):
        self.service.cancel()
        shutil.rmtree(self.directory, ignore_errors=True)


def report(bench, **figures):
    print(json.dumps(dict(bench=bench, face="python", **figures)), flush=True)


def tally(units):
    counts = {}
    for unit in units:
        state = unit.get_state()
        counts[state] = counts.get(state, 0) + 1
    return counts
