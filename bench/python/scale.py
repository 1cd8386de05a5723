"""N units queued from Python with `submit_compute_units` (batches of B)
behind a busy one-slot pilot: the submission rate; then cancel them all."""

import argparse
import time

from common import Pilots, report

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--units", type=int, default=1_000_000)
parser.add_argument("--batch", type=int, default=10_000)
parser.add_argument("--sandbox-base", default="/dev/shm")
options = parser.parse_args()

setup = Pilots(1, options.sandbox_base)
setup.service.submit_compute_units([{"executable": "/bin/sleep", "arguments": ["3600"]}] * 2)
description = {"executable": "/bin/true"}
queued = 0
began = time.perf_counter()
while queued < options.units:
    count = min(options.batch, options.units - queued)
    queued += len(setup.service.submit_compute_units([description] * count))
submit_seconds = time.perf_counter() - began
began = time.perf_counter()
setup.service.cancel()
cancel_seconds = time.perf_counter() - began
setup.close()
report("scale", units=queued, submit_seconds=submit_seconds, submit_rate=queued / submit_seconds,
       cancel_seconds=cancel_seconds)
