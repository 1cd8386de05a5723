"""N units of /bin/true through a ComputeDataService from Python: one
`submit_compute_unit` call per unit (--mode one) or one
`submit_compute_units` call for all (--mode bulk), then `wait()`."""

import argparse
import time

from common import Pilots, report, tally

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--units", type=int, default=10_000)
parser.add_argument("--slots", type=int, default=2)
parser.add_argument("--mode", choices=["one", "bulk"], default="one")
parser.add_argument("--sandbox-base", default="/dev/shm")
options = parser.parse_args()

setup = Pilots(options.slots, options.sandbox_base)
description = {"executable": "/bin/true"}
began = time.perf_counter()
if options.mode == "one":
    units = [setup.service.submit_compute_unit(description) for _ in range(options.units)]
else:
    units = setup.service.submit_compute_units([description] * options.units)
setup.service.wait()
seconds = time.perf_counter() - began
states = tally(units)
setup.close()
report("throughput", mode=options.mode, units=options.units, slots=options.slots, seconds=seconds,
       rate=options.units / seconds, states=states)
