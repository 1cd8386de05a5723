"""What the progress line costs: `pilotctl ensemble` of N /bin/true units
with stderr on a pseudo-terminal, so the line is drawn twice a second,
against the same with PILOT_PROGRESS=0, in alternating pairs (the machine's
drift hits both alike). Reports the median rate of each and their ratio."""

import argparse
import os
import pty
import re
import select
import statistics
import subprocess

from common import report

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--pilotctl", required=True)
parser.add_argument("--units", type=int, default=10_000)
parser.add_argument("--slots", type=int, default=2)
parser.add_argument("--pairs", type=int, default=5)
parser.add_argument("--sandbox-base", default="/dev/shm")
options = parser.parse_args()


def ensemble(progress):
    """One run; (units/s as ensemble reports it, progress lines drawn)."""
    command = [options.pilotctl, "ensemble", "--units", str(options.units), "--slots", str(options.slots),
               "--working-directory", os.path.join(options.sandbox_base, "pilot-bench-progress"), "/bin/true"]
    environment = dict(os.environ, PILOT_PROGRESS="1" if progress else "0")
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=terminal, text=True)
    os.close(terminal)
    drawn = b""
    while select.select([controller], [], [], 600)[0]:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    output = process.stdout.read()
    if process.wait() != 0:
        raise SystemExit(f"progress: {' '.join(command)} failed")
    found = re.search(rf"{options.units} units: {options.units} Done in \d+ ms \((\d+) units/s\)", output)
    if not found:
        raise SystemExit(f"progress: unexpected ensemble output {output!r}")
    return int(found.group(1)), drawn.count(b"\r\x1b[K")


with_line, without_line, lines = [], [], []
for _ in range(options.pairs):
    rate, drawn = ensemble(progress=True)
    with_line.append(rate)
    lines.append(drawn)
    without_line.append(ensemble(progress=False)[0])
report("progress", units=options.units, slots=options.slots, pairs=options.pairs,
       with_line_rate=statistics.median(with_line), without_line_rate=statistics.median(without_line),
       ratio=statistics.median(a / b for a, b in zip(with_line, without_line)), lines_drawn=statistics.median(lines),
       states={"Done": options.units})
