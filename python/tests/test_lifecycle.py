"""Cancel, pilot death, Ctrl-C and interpreter exit (acceptance 4 and the
contract's section 8 fixes)."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pilot
from conftest import PYTHON_DIR, eventually, processes_under, run_script


def test_cancelling_a_running_unit_leaves_no_process(tmp_path, pilot_service):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                           "working_directory": str(tmp_path)})
    unit = pilotjob.submit_compute_unit({"executable": "/bin/sleep", "arguments": [60]})
    assert eventually(lambda: unit.get_state() == "Running")
    sandbox = unit.get_local_working_directory()
    assert len(processes_under(sandbox)) == 1
    unit.cancel()
    assert unit.wait(timeout=5) == "Canceled"
    assert processes_under(sandbox) == []


def test_a_wait_reads_its_timeout_as_the_core_does(tmp_path, pilot_service):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                           "working_directory": str(tmp_path)})
    unit = pilotjob.submit_compute_unit({"executable": "/bin/sleep", "arguments": [60]})
    for timeout, message in [(float("nan"), "timeout is NaN; pass seconds, or a negative number to wait without limit"),
                             ("5", "timeout must be a number of seconds or None, got '5'"),
                             (True, "timeout must be a number of seconds or None, got True")]:
        with pytest.raises(pilot.PilotError, match=re.escape(message)):
            unit.wait(timeout=timeout)
    started = time.monotonic()
    with pytest.raises(pilot.PilotError, match=re.escape(f"{unit.get_id()} did not finish within 1.5 s")):
        unit.wait(timeout=1.5)
    assert 1.5 <= time.monotonic() - started < 2.5
    unit.cancel()


def test_cancelling_the_service_leaves_no_agent(tmp_path):
    service = pilot.PilotComputeService()
    pilotjob = service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                     "working_directory": str(tmp_path)})
    units = [pilotjob.submit_compute_unit({"executable": "/bin/sleep", "arguments": [60]}) for _ in range(3)]
    assert eventually(lambda: sum(u.get_state() == "Running" for u in units) == 2)
    agent = int(pilotjob.get_details()["native_id"])
    service.cancel()
    assert pilotjob.get_state() == "Canceled"
    assert [u.get_state() for u in units] == ["Canceled"] * 3
    assert processes_under(tmp_path) == []
    assert not os.path.exists(f"/proc/{agent}") or open(f"/proc/{agent}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"


def test_a_pilot_whose_agent_dies_is_failed(tmp_path, pilot_service):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                           "working_directory": str(tmp_path)})
    unit = pilotjob.submit_compute_unit({"executable": "/bin/sleep", "arguments": [60]})
    assert eventually(lambda: unit.get_state() == "Running")
    os.kill(int(pilotjob.get_details()["native_id"]), signal.SIGKILL)
    assert unit.wait(timeout=10) == "Failed"
    assert pilotjob.get_state() == "Failed"
    assert pilotjob.get_details()["reason"].startswith("agent lost: ")
    pilotjob.wait(timeout=5)


def test_ctrl_c_in_wait_cancels_and_reraises(tmp_path):
    script = '''
        import pilot, sys
        pcs = pilot.PilotComputeService()
        pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": sys.argv[1]})
        cds = pilot.ComputeDataService()
        cds.add_pilot_compute_service(pcs)
        units = [cds.submit_compute_unit({"executable": "/bin/sleep", "arguments": [60]}) for _ in range(3)]
        print("waiting", flush=True)
        try:
            cds.wait()
        except KeyboardInterrupt:
            print("interrupted", [u.get_state() for u in units], flush=True)
            raise
    '''
    child = subprocess.Popen([sys.executable, "-c", script.replace("\n        ", "\n"), str(tmp_path)], cwd=tmp_path,
                             env=dict(os.environ, PYTHONPATH=str(PYTHON_DIR)), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "waiting\n"
    assert eventually(lambda: len(processes_under(tmp_path)) == 2)  # the agent and one sleep
    # Its main thread asleep: inside wait() (the only place it blocks now), not still on its way there.
    assert eventually(lambda: Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "S")
    began = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=20)
    assert time.monotonic() - began < 5
    assert out == "interrupted ['Canceled', 'Canceled', 'Canceled']\n", err
    assert "KeyboardInterrupt" in err
    assert child.returncode != 0
    assert processes_under(tmp_path) == []


def test_interpreter_exit_cancels_running_pilots(tmp_path):
    result = run_script('''
        import pilot, time
        pcs = pilot.PilotComputeService()
        p = pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2, "working_directory": "."})
        units = [p.submit_compute_unit({"executable": "/bin/sleep", "arguments": [60]}) for _ in range(2)]
        while any(u.get_state() != "Running" for u in units):
            time.sleep(0.01)
        print("exiting with units running")
    ''', cwd=tmp_path, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "exiting with units running\n"
    assert processes_under(tmp_path) == []


def test_reconnect_by_url_in_the_same_process(tmp_path, pilot_service):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                           "working_directory": str(tmp_path)})
    unit = pilotjob.submit_compute_unit({"executable": "/bin/true"})
    again = pilot.PilotCompute(pilot_url=pilotjob.get_url())
    assert again.get_details()["bigjob_id"] == pilotjob.get_details()["bigjob_id"]
    assert pilot.ComputeUnit(cu_url=unit.get_url()).wait(timeout=10) == "Done"
    assert pilot.PilotComputeService(pcs_url=pilot_service.url).list_pilots()[0].get_url() == pilotjob.get_url()
