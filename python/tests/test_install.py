"""`pip install ./python` in a fresh virtualenv, then the example from
another directory (acceptance 7): the installed package carries
libpilot.so and pilot-agent and needs no environment variables."""

import os
import re
import subprocess
import sys

from conftest import PYTHON_DIR


def test_pip_install_into_a_fresh_virtualenv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("PYTHONPATH", "PILOT_LIBRARY_DIR", "PILOT_AGENT")}
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", str(PYTHON_DIR)], env=environment,
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout + install.stderr
    shown = subprocess.run([python, "-m", "pip", "show", "pilot"], env=environment, capture_output=True, text=True)
    header = (PYTHON_DIR.parent / "include" / "pilot.h").read_text()
    version = re.search(r'^#define PILOT_VERSION "(.*)"', header, flags=re.M).group(1)
    assert f"Version: {version}" in shown.stdout.splitlines(), "the package's version is the header's"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([python, "-c", """
import os, pilot
print(os.path.dirname(pilot._native.LIBRARY_PATH))
pcs = pilot.PilotComputeService()
pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                  "working_directory": os.path.join(os.getcwd(), "work")})
cds = pilot.ComputeDataService()
cds.add_pilot_compute_service(pcs)
unit = cds.submit_compute_unit({"executable": "/bin/date", "arguments": [""], "output": "stdout.txt"})
cds.wait()
cds.cancel()
print(unit.get_state(), len(open(os.path.join(unit.get_local_working_directory(), "stdout.txt")).read()) > 20)
"""], cwd=elsewhere, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    library_directory, outcome = result.stdout.splitlines()
    assert library_directory.startswith(str(venv)) and library_directory.endswith("pilot/_lib")
    assert outcome == "Done True"
