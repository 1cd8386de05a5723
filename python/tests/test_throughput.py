"""10,000 /bin/true units through a ComputeDataService (acceptance 6):
all Done. Prints units per second and import time for the notes (no
timing assertions)."""

import subprocess
import sys
import time

import pilot
from conftest import PYTHON_DIR


def test_ten_thousand_units(tmp_path, pilot_service):
    pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                "working_directory": str(tmp_path)})
    service = pilot.ComputeDataService()
    service.add_pilot_compute_service(pilot_service)
    began = time.monotonic()
    units = [service.submit_compute_unit({"executable": "/bin/true"}) for _ in range(10_000)]
    service.wait()
    elapsed = time.monotonic() - began
    states = {unit.get_state() for unit in units}
    print(f"\n10,000 units one by one from Python: {elapsed:.2f} s, {10_000 / elapsed:.0f} units/s")
    assert states == {"Done"}


def test_import_time():
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pilot"], cwd=PYTHON_DIR,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    total = int(result.stderr.strip().splitlines()[-1].split("|")[1])
    print(f"\nimport pilot: {total / 1000:.1f} ms")
