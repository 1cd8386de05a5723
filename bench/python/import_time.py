"""`import pilot` in K fresh interpreters: the time of the import statement."""

import argparse
import json
import os
import statistics
import subprocess
import sys

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--samples", type=int, default=10)
options = parser.parse_args()

probe = "import time; began = time.perf_counter(); import pilot; print(time.perf_counter() - began)"
times = []
for _ in range(options.samples):
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ, check=True)
    times.append(float(result.stdout) * 1000)
print(json.dumps({"bench": "import", "face": "python", "samples": options.samples,
                  "median_ms": statistics.median(times), "max_ms": max(times)}), flush=True)
