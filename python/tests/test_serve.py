"""The standalone coordinator (`pilotctl serve`): processes that share one
session and reconnect to its pilots, units and services by URL."""

import os
import pwd
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import run_script
from pilot import _cli

PILOTCTL = _cli.executable()


class Served:
    """A `pilotctl serve` process with its session directory."""

    def __init__(self, directory, *options):
        self.directory = directory
        self.options = options
        self.start()

    def start(self):
        self.process = subprocess.Popen([str(PILOTCTL), "serve", "--session-directory", self.directory, *self.options],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        assert self.url == f"pilot+unix://{self.directory}/coordinator.sock", self.process.stderr.read()

    def kill(self):
        """kill -9: no cleanup at all."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def served():
    directory = tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"
    coordinator = Served(directory)
    yield coordinator
    coordinator.stop()


def run_client(source, cwd, served, timeout=120):
    """Runs `source` in a fresh interpreter whose default session is `served`."""
    result = run_script(source, cwd, timeout=timeout, env={"PILOT_COORDINATION_URL": served.url})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_second_process_reconnects_by_pilot_url(tmp_path, served):
    """BigJob's example_local_multiple + _reconnect: one process submits 8
    units and exits without waiting; a second reconnects by the pilot's URL,
    submits a ninth and waits: 9 Done."""
    first = run_client(f"""
        import pilot
        pcs = pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 2,
                               "working_directory": "{tmp_path}"}})
        for index in range(8):
            pj.submit_compute_unit({{"executable": "/bin/echo", "arguments": ["unit", str(index)]}})
        print(pj.get_url())
        """, tmp_path, served)
    pilot_url = first.strip()
    assert pilot_url.startswith(served.url + "/bigjob:bj-")
    second = run_client(f"""
        import pilot
        pj = pilot.PilotCompute(pilot_url="{pilot_url}")
        ninth = pj.submit_compute_unit({{"executable": "/bin/echo", "arguments": ["unit", "8"]}})
        ninth.wait()
        pj.wait()
        units = pj.list_compute_units()
        print(len(units), sorted(set(unit.get_state() for unit in units)), pj.get_state())
        """, tmp_path, served)
    assert second == "9 ['Done'] Running\n"
    outputs = sorted(path.read_text() for path in tmp_path.glob("bj-*/sj-*/stdout"))
    assert outputs == [f"unit {index}\n" for index in range(9)]


def test_bigjob_and_subjob_urls_reconnect_from_another_process(tmp_path, served):
    first = run_client(f"""
        from bigjob import bigjob, subjob, description
        bj = bigjob(coordination_url="{served.url}")
        bj.start_pilot_job("fork://localhost", 2, None, None, "{tmp_path}", None, 10)
        jd = description()
        jd.executable = "/bin/echo"
        jd.arguments = ["$GREETING"]
        jd.environment = ["GREETING=hello_again"]
        sj = subjob()
        sj.submit_job(bj.pilot_url, jd)
        print(bj.pilot_url)
        print(sj.get_url())
        """, tmp_path, served)
    pilot_url, subjob_url = first.split()
    assert ":jobs:sj-" in subjob_url and subjob_url.startswith(served.url + "/bigjob:bj-")
    second = run_client(f"""
        import time
        from bigjob import bigjob, subjob
        sj = subjob(subjob_url="{subjob_url}")
        deadline = time.monotonic() + 30
        while sj.get_state() not in ("Done", "Failed") and time.monotonic() < deadline:
            time.sleep(0.05)
        bj = bigjob(pilot_url="{pilot_url}")
        print(sj.get_state(), bj.get_state(), len(bj.list_subjobs()))
        bj.cancel()
        print(bj.get_state())
        """, tmp_path, served)
    assert second == "Done Running 1\nCanceled\n"
    assert [path.read_text() for path in tmp_path.glob("bj-*/sj-*/stdout")] == ["hello_again\n"]


def test_troy_services_reconnect_by_id_from_another_process(tmp_path, served):
    first = run_client(f"""
        import troy
        pjs = troy.PilotJobService()
        pjs.create("fork://localhost", troy.PilotJobDescription({{"number_of_processes": 2,
                                                                 "working_directory": "{tmp_path}"}}))
        wus = troy.WorkUnitService()
        wus.add(pjs)
        print(pjs.id, wus.id)
        """, tmp_path, served)
    pjs_id, wus_id = first.split()
    second = run_client(f"""
        import troy
        wus = troy.WorkUnitService(id="{wus_id}")
        units = [wus.submit(troy.WorkUnitDescription({{"executable": "/bin/true"}})) for _ in range(4)]
        for unit in units:
            unit._core.wait()
        print([unit.get_state() for unit in units])
        troy.PilotJobService(id="{pjs_id}").cancel()
        """, tmp_path, served)
    assert second == f"{[troy_done()] * 4}\n"


def troy_done():
    import troy
    return troy.State.Done


def test_services_and_units_reconnect_by_url(tmp_path, served):
    first = run_client(f"""
        import pilot
        pcs = pilot.PilotComputeService()
        pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "{tmp_path}"}})
        cds = pilot.ComputeDataService()
        cds.add_pilot_compute_service(pcs)
        unit = cds.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["0.2"]}})
        print(pcs.get_url(), cds.get_url(), unit.get_url())
        """, tmp_path, served)
    pcs_url, cds_url, unit_url = first.split()
    second = run_client(f"""
        import pilot
        cds = pilot.ComputeDataService(cds_url="{cds_url}")
        cds.wait()
        unit = pilot.ComputeUnit(cu_url="{unit_url}")
        pcs = pilot.PilotComputeService(pcs_url="{pcs_url}")
        print(unit.get_state(), [p.get_state() for p in pcs.list_pilots()])
        pcs.cancel()
        print([p.get_state() for p in pcs.list_pilots()])
        """, tmp_path, served)
    assert second == "Done ['Running']\n['Canceled']\n"


def test_a_compute_data_service_reopened_by_url_is_what_the_core_recorded(tmp_path, served):
    """The core holds a ComputeDataService's PCSs and its cancellation: a
    new process reopening it by URL lists the same pilot services and
    pilots, and a third sees that the second cancelled it (units and pilots)."""
    first = run_client(f"""
        import pilot
        pcs, other = pilot.PilotComputeService(), pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "{tmp_path}"}})
        cds = pilot.ComputeDataServiceCentral()
        cds.add_pilot_compute_service(other)
        cds.add_pilot_compute_service(pcs)
        cds.remove_pilot_compute_service(other)
        print(cds.get_url(), pcs.id, pj.get_id())
        """, tmp_path, served)
    cds_url, pcs_id, pilot_id = first.split()
    second = run_client(f"""
        import pilot
        cds = pilot.ComputeDataService(cds_url="{cds_url}")
        print([pcs.id for pcs in cds.list_pilot_compute_services()], [pj.get_id() for pj in cds.list_pilot_compute()])
        print(cds.get_details())
        cds.cancel()
        """, tmp_path, served)
    cds_id = cds_url.rsplit("/", 1)[1]
    assert second == (f"['{pcs_id}'] ['{pilot_id}']\n"
                      f"{{'id': '{cds_id}', 'state': 'Done', 'binding': 'early', 'pilot_compute_services': ['{pcs_id}']}}\n")
    third = run_client(f"""
        import pilot
        cds = pilot.ComputeDataService(cds_url="{cds_url}")
        print(cds.get_state(), [pj.get_state() for pj in cds.list_pilot_compute()])
        """, tmp_path, served)
    assert third == "Canceled ['Canceled']\n"


def test_an_embedded_url_from_another_process_is_refused_clearly(tmp_path):
    result = run_script("""
        import pilot
        try:
            pilot.PilotCompute(pilot_url="pilot://ps-00000000-0000-4000-8000-000000000000/bigjob:bj-00000000-0000-4000-8000-000000000000:host")
        except pilot.PilotError as error:
            print(error)
        """, tmp_path)
    assert "belongs to the embedded session of another process" in result.stdout, result.stderr


def test_a_client_of_a_stopped_coordinator_gets_an_error_not_a_hang(tmp_path, served):
    script = f"""
        import os, signal, pilot
        pcs = pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "{tmp_path}"}})
        unit = pj.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["600"]}})
        os.kill({served.process.pid}, signal.SIGTERM)
        try:
            unit.wait(timeout=60)
        except pilot.PilotError as error:
            print(str(error).split(" (")[0])
        """
    assert run_client(script, tmp_path, served, timeout=60) == f"lost the coordinator at {served.url}\n"


def test_a_client_of_a_frozen_coordinator_gets_an_error_within_the_silence_limit(tmp_path, served):
    """A stopped coordinator (SIGSTOP: its socket still accepts, nothing
    answers) fails a wait without a timeout once it has sent nothing, not
    even its 5 s heartbeat, for 30 s."""
    script = f"""
        import os, signal, time, pilot
        pcs = pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "{tmp_path}"}})
        unit = pj.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["600"]}})
        os.kill({served.process.pid}, signal.SIGSTOP)
        began = time.monotonic()
        try:
            unit.wait()
        except pilot.PilotError as error:
            print(str(error).split("; restart")[0], round(time.monotonic() - began) <= 40)
        """
    try:
        output = run_client(script, tmp_path, served, timeout=90)
    finally:
        served.process.send_signal(signal.SIGCONT)
    assert output == f"lost the coordinator at {served.url} (it sent nothing for 30 s: stopped, hung or cut off) True\n"


def test_another_user_cannot_use_the_served_session(tmp_path, served):
    """The user made here (CI runs as root) can neither read the session
    secret nor reach the socket, so it cannot submit anything (a client
    without the secret is refused by the coordinator itself: the Swift test
    ServedSessionTests.testAWrongSecretIsRefused)."""
    outsider = "pilot-outsider"
    try:
        pwd.getpwnam(outsider)
    except KeyError:
        subprocess.run(["/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", outsider],
                       check=True)
    probe = f"""
import socket
try:
    open("{served.directory}/secret").read()
    print("read the secret")
except OSError as error:
    print(error.strerror)
try:
    socket.socket(socket.AF_UNIX).connect("{served.directory}/coordinator.sock")
    print("connected")
except OSError as error:
    print(error.strerror)
"""
    result = subprocess.run(["/usr/sbin/runuser", "-u", outsider, "--", "/usr/bin/python3", "-c", probe],
                            capture_output=True, text=True, cwd="/", timeout=60)
    assert result.stdout == "Permission denied\nPermission denied\n", result.stderr
