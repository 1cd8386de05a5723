"""A served coordinator killed with -9 and started again on its session
directory: it replays its journal, the agents link again, and no unit is
lost or runs twice."""

import collections
import tempfile
import time

import pytest

from conftest import eventually, processes_under
from test_serve import Served, run_client


@pytest.fixture
def session_directory():
    return tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"


def test_killed_coordinator_restarts_and_loses_nothing(tmp_path, session_directory):
    """2,000 units of `sleep 0.05` on 2 fork pilots; the coordinator is
    killed with -9 in the middle and restarted; a second process reconnects
    by the service URL and waits: all Done, each ran exactly once."""
    ran = tmp_path / "ran"
    served = Served(session_directory)
    try:
        first = run_client(f"""
            import pilot
            pcs = pilot.PilotComputeService()
            for _ in range(2):
                pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 4,
                                  "working_directory": "{tmp_path}/work"}})
            cds = pilot.ComputeDataService()
            cds.add_pilot_compute_service(pcs)
            units = cds.submit_compute_units([{{"executable": "/bin/sh", "shell": False,
                                               "arguments": ["-c", "sleep 0.05; echo $PILOT_UNIT_ID >> {ran}"]}}
                                              for _ in range(2000)])
            print(cds.get_url())
            """, tmp_path, served)
        service_url = first.strip()
        assert eventually(lambda: ran.exists() and len(ran.read_text().splitlines()) >= 300, within=60)
        served.kill()
        done_at_kill = len(ran.read_text().splitlines())
        assert done_at_kill < 2000, "killed in the middle"
        served.start()
        second = run_client(f"""
            import collections, pilot
            cds = pilot.ComputeDataService(cds_url="{service_url}")
            cds.wait()
            units = cds.list_compute_units()
            print(len(units), dict(collections.Counter(unit.get_state() for unit in units)))
            print("\\n".join(unit.get_id() for unit in units))
            """, tmp_path, served, timeout=180)
    finally:
        served.stop()
    summary, *ids = second.splitlines()
    assert summary == "2000 {'Done': 2000}"
    lines = ran.read_text().splitlines()
    counts = collections.Counter(lines)
    assert [unit for unit, count in counts.items() if count > 1] == [], "no unit ran twice"
    assert sorted(counts) == sorted(ids), "every unit ran"


def test_agents_that_do_not_come_back_fail_their_pilot(tmp_path, session_directory):
    """With a grace of 1 s the agents give up (killing their units) while
    the coordinator is down; the restarted coordinator sees the agent's
    process is gone and fails the pilot and its units at once with the
    reason, and nothing is left running."""
    served = Served(session_directory, "--agent-grace", "1", "--heartbeat-timeout", "2")
    try:
        first = run_client(f"""
            import pilot
            pcs = pilot.PilotComputeService()
            pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1,
                                   "working_directory": "{tmp_path}"}})
            unit = pj.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["600"]}})
            unit._handle
            import time
            while unit.get_state() != "Running":
                time.sleep(0.02)
            print(pj.get_url(), unit.get_url())
            """, tmp_path, served)
        pilot_url, unit_url = first.split()
        served.kill()
        assert eventually(lambda: processes_under(tmp_path) == [], within=15), "the agent stopped its unit and exited"
        served.start()
        began = time.monotonic()
        second = run_client(f"""
            import pilot
            pj = pilot.PilotCompute(pilot_url="{pilot_url}")
            print(pj.wait())
            print(pj.get_state(), "|", pj.get_details()["reason"])
            unit = pilot.ComputeUnit(cu_url="{unit_url}")
            print(unit.get_state(), "|", unit.get_details()["reason"])
            """, tmp_path, served)
        assert time.monotonic() - began < 5, "no wait for an agent known to be gone"
    finally:
        served.stop()
    pilot_id = pilot_url.split(":")[-2]
    assert second.splitlines()[1:] == [
        "Failed | agent lost: its agent had exited before the coordinator restarted",
        f"Failed | pilot {pilot_id} ended: agent lost: its agent had exited before the coordinator restarted",
    ]
