"""The benchmark suite in smoke mode (acceptance 1 of the throughput issue):
every benchmark runs at tiny sizes on the debug build and must run every
unit correctly. No timing is asserted; bench/run.py exits 1 on a wrong count."""

import subprocess
import sys

from conftest import PYTHON_DIR

ROOT = PYTHON_DIR.parent
FIGURES = ["baseline units/s", "swift ratio", "c ratio", "python one by one ratio", "python bulk ratio",
           "linearity (large/small rate)", "latency median ms", "latency ratio", "scale swift submit units/s",
           "scale bytes per queued unit", "scale cancel all s", "scale python bulk submit units/s",
           "many pilots units/s", "pilot start median ms", "idle agent RSS MiB", "import pilot ms"]


def test_every_benchmark_runs_correctly_in_smoke_mode():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--configuration", "debug",
                             "--no-build"], capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = {line[:40].strip() for line in result.stdout.splitlines()[1:]}
    assert set(FIGURES) <= printed, sorted(set(FIGURES) - printed)
    print("\n" + result.stdout)
