"""Helpers for the pilot package's tests: scripts in fresh interpreters,
and facts about processes read from /proc."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parent.parent


def run_script(source, cwd, timeout=120, env=None):
    """Runs `source` in a fresh interpreter that imports pilot from this tree."""
    environment = dict(os.environ, PYTHONPATH=str(PYTHON_DIR), **(env or {}))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(source)], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=timeout)


def processes_under(directory):
    """Pids of live (non-zombie) processes whose cwd is inside `directory`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if cwd.startswith(str(directory)) and state != "Z":
            found.append(int(entry))
    return found


def eventually(condition, within=10.0):
    """Waits up to `within` seconds for `condition()` to hold."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def pilot_service(tmp_path):
    """A PilotComputeService whose pilots are cancelled after the test."""
    import pilot

    service = pilot.PilotComputeService()
    yield service
    service.cancel()
