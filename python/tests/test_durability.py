"""What a served session promises when things go wrong: processes it
starts hold none of its descriptors, a dead coordinator is noticed at
once, a journal that cannot be written fails calls without applying them
and recovers by itself, and a session directory someone else could
control is refused."""

import os
import pwd
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import eventually, processes_under, run_script
from test_serve import PILOTCTL, Served, run_client

OUTSIDER = "pilot-outsider"


def descriptors(pid):
    """{fd: target} of process `pid`."""
    found = {}
    for entry in os.listdir(f"/proc/{pid}/fd"):
        try:
            found[int(entry)] = os.readlink(f"/proc/{pid}/fd/{entry}")
        except OSError:
            pass
    return found


def shared_objects(first, second):
    """Sockets and files that both processes hold open."""
    def objects(pid):
        return {target for target in descriptors(pid).values()
                if target.startswith("socket:") or (target.startswith("/") and not target.startswith("/dev/"))}
    return objects(first) & objects(second)


def agent_and_unit(directory):
    """(agent pid, unit pid) of the one pilot running `sleep` under `directory`."""
    found = {}
    def both():
        for pid in processes_under(directory):
            try:
                found[Path(f"/proc/{pid}/comm").read_text().strip()] = pid
            except OSError:
                pass
        return "pilot-agent" in found and "sleep" in found
    assert eventually(both, within=30), found
    return found["pilot-agent"], found["sleep"]


def test_agents_and_units_of_a_served_session_hold_none_of_its_descriptors(tmp_path):
    served = Served(tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session")
    try:
        run_client(f"""
            import pilot
            pj = pilot.PilotComputeService().create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1,
                                                            "working_directory": "{tmp_path}"}})
            pj.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["60"]}})
            """, tmp_path, served)
        agent, unit = agent_and_unit(tmp_path)
        assert sorted(descriptors(unit)) == [0, 1, 2], descriptors(unit)
        assert shared_objects(served.process.pid, agent) == set()
        assert shared_objects(served.process.pid, unit) == set()
    finally:
        served.stop()


def test_agents_and_units_of_an_embedded_session_hold_none_of_the_host_process_descriptors(tmp_path):
    script = f"""
        import os, sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_durability import agent_and_unit, descriptors, shared_objects
        import pilot
        kept = open("{tmp_path}/held-by-the-host", "w")   # a descriptor of the host program, not close-on-exec
        os.set_inheritable(kept.fileno(), True)
        pcs = pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "{tmp_path}/work"}})
        pj.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["60"]}})
        agent, unit = agent_and_unit("{tmp_path}/work")
        print(sorted(descriptors(unit)), shared_objects(os.getpid(), agent), shared_objects(os.getpid(), unit))
        pcs.cancel()
        """
    result = run_script(script, tmp_path)
    assert result.stdout == "[0, 1, 2] set() set()\n", result.stderr


def test_a_waiting_client_learns_at_once_that_the_coordinator_died_and_reconnects_after_its_restart(tmp_path):
    """Acceptance: a client blocked in wait() gets "lost the coordinator"
    within 1 s of kill -9 (the socket closes with the process: nothing
    else holds it); a client connecting during the outage is refused at
    once; after the restart both reconnect by URL and see their units end."""
    served = Served(tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session")
    try:
        cds_url = run_client(f"""
            import pilot
            pcs = pilot.PilotComputeService()
            pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 2, "working_directory": "{tmp_path}"}})
            cds = pilot.ComputeDataService()
            cds.add_pilot_compute_service(pcs)
            cds.submit_compute_units([{{"executable": "/bin/sleep", "arguments": ["3"]}} for _ in range(4)])
            print(cds.get_url())
            """, tmp_path, served).strip()
        waiter = subprocess.Popen(
            ["python3", "-c", f"""
import sys, time, pilot
sys.stdout.reconfigure(line_buffering=True)
cds = pilot.ComputeDataService(cds_url="{cds_url}")
print("waiting")
try:
    cds.wait()
except pilot.PilotError as error:
    print("lost", time.monotonic(), str(error).split(" (")[0])
while True:
    try:
        cds = pilot.ComputeDataService(cds_url="{cds_url}")
        cds.wait()
        break
    except pilot.PilotError:
        time.sleep(0.1)
print("done", sorted(set(unit.get_state() for unit in cds.list_compute_units())))
"""], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent)))
        assert waiter.stdout.readline() == "waiting\n", waiter.stderr.read()
        time.sleep(0.3)
        served.kill()
        killed = time.monotonic()
        lost = waiter.stdout.readline().split(maxsplit=2)
        assert lost[0] == "lost" and float(lost[1]) - killed < 1.0, lost
        assert lost[2] == f"lost the coordinator at {served.url}\n"

        began = time.monotonic()
        refused = run_script(f"""
            import pilot
            try:
                pilot.ComputeDataService(cds_url="{cds_url}")
            except pilot.PilotError as error:
                print(error)
            """, tmp_path)
        assert time.monotonic() - began < 5, "refused at once (the time is the interpreter's start)"
        assert refused.stdout == (f"cannot reach the coordinator at {served.url}: Connection refused; "
                                  "start it with `pilotctl serve` or check the URL\n"), refused

        served.start()
        assert waiter.wait(timeout=60) == 0, waiter.stderr.read()
        assert waiter.stdout.read() == "done ['Done']\n"
        again = run_client(f"""
            import pilot
            cds = pilot.ComputeDataService(cds_url="{cds_url}")
            print(sorted(unit.get_state() for unit in cds.list_compute_units()))
            """, tmp_path, served)
        assert again == "['Done', 'Done', 'Done', 'Done']\n"
    finally:
        served.stop()


@pytest.fixture
def small_file_system():
    """A 1 MB tmpfs, unmounted afterwards."""
    mount_point = tempfile.mkdtemp(prefix="pilot-1mb-", dir="/tmp")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "pilot-test", mount_point], check=True)
    yield Path(mount_point)
    subprocess.run(["umount", "-l", mount_point], check=False)
    os.rmdir(mount_point)


def test_a_full_journal_fails_calls_without_applying_them_and_recovers_by_itself(tmp_path, small_file_system):
    """Acceptance: the journal on a 1 MB file system that is then filled.
    Every call either fails saying nothing was changed (and none of its
    units runs) or succeeds (and all of its units run, once); once space
    is back, the next call succeeds without a restart, and the log says
    what happened."""
    served = Served(str(small_file_system / "session"))
    marker = tmp_path / "ran"
    try:
        script = f"""
            import json, os, pilot
            pcs = pilot.PilotComputeService()
            pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 2, "working_directory": "{tmp_path}/work"}})
            cds = pilot.ComputeDataService()
            cds.add_pilot_compute_service(pcs)
            filler = os.open("{small_file_system}/filler", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while True:
                    os.write(filler, b"x" * 4096)
            except OSError:
                pass
            outcomes = []
            for call in range(12):
                try:
                    units = cds.submit_compute_units([{{"executable": "/bin/sh", "shell": False,
                        "arguments": ["-c", "echo $PILOT_UNIT_ID >> {marker}"]}} for _ in range(200)])
                    outcomes.append([unit.get_id() for unit in units])
                except pilot.PilotError as error:
                    outcomes.append(str(error))
            os.close(filler)
            os.unlink("{small_file_system}/filler")
            after = cds.submit_compute_units([{{"executable": "/bin/sh", "shell": False,
                "arguments": ["-c", "echo $PILOT_UNIT_ID >> {marker}"]}} for _ in range(200)])
            outcomes.append([unit.get_id() for unit in after])
            cds.wait()
            print(json.dumps(outcomes))
            print(sorted(set(unit.get_state() for unit in cds.list_compute_units())))
            """
        output = run_client(script, tmp_path, served, timeout=180).splitlines()
    finally:
        served.stop()
    import json
    outcomes = json.loads(output[0])
    failures = [outcome for outcome in outcomes if isinstance(outcome, str)]
    accepted = [unit for outcome in outcomes if isinstance(outcome, list) for unit in outcome]
    assert failures, "the full file system failed at least one call"
    for failure in failures:
        assert "cannot be written" in failure and "nothing was changed" in failure, failure
    assert isinstance(outcomes[-1], list) and len(outcomes[-1]) == 200, "the first call after space came back succeeded"
    ran = marker.read_text().splitlines()
    assert sorted(ran) == sorted(accepted), (len(ran), len(accepted))
    assert output[1] == "['Done']", "units of failed calls do not exist; accepted ones ran"
    log = served.process.stderr.read()
    assert "cannot be written" in log


def outsider_uid():
    try:
        return pwd.getpwnam(OUTSIDER).pw_uid
    except KeyError:
        subprocess.run(["/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OUTSIDER],
                       check=True)
        return pwd.getpwnam(OUTSIDER).pw_uid


def serve_refusal(directory):
    result = subprocess.run([str(PILOTCTL), "serve", "--session-directory", directory],
                            capture_output=True, text=True, timeout=30)
    return result.returncode, result.stderr


def test_serve_refuses_a_session_directory_another_user_made(tmp_path):
    """Acceptance: a directory another user created (with a forged secret
    in it) is refused, and nothing in it is touched."""
    uid = outsider_uid()
    directory = tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/my-run"
    os.mkdir(directory, 0o700)
    Path(directory, "secret").write_text("f" * 64 + "\n")
    os.chown(Path(directory, "secret"), uid, uid)
    os.chown(directory, uid, uid)
    status, error = serve_refusal(directory)
    assert status != 0
    assert f"refusing the session directory {directory}: {directory} belongs to another user; use a directory of your own that only you can write to" in error, error
    assert os.stat(directory).st_uid == uid and Path(directory, "secret").read_text() == "f" * 64 + "\n"
    assert sorted(os.listdir(directory)) == ["secret"]


def test_serve_refuses_a_directory_others_can_write_and_a_forged_entry(tmp_path):
    open_directory = tempfile.mkdtemp(prefix="ps-", dir="/tmp")
    os.chmod(open_directory, 0o777)
    status, error = serve_refusal(open_directory)
    assert status != 0 and f"{open_directory} is writable by other users" in error, error

    ours = tempfile.mkdtemp(prefix="ps-", dir="/tmp")
    forged = Path(ours, "secret")
    forged.write_text("f" * 64 + "\n")
    os.chown(forged, outsider_uid(), -1)
    status, error = serve_refusal(ours)
    assert status != 0 and f"{forged} belongs to another user" in error, error


def test_a_client_does_not_hand_its_secret_to_a_session_directory_it_cannot_trust(tmp_path):
    served = Served(tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session")
    try:
        os.chmod(served.directory, 0o777)
        result = run_script(f"""
            import pilot
            try:
                pilot.PilotComputeService(pcs_url="{served.url}/pcs-00000000-0000-4000-8000-000000000000")
            except pilot.PilotError as error:
                print(error)
            """, tmp_path, env={"PILOT_COORDINATION_URL": served.url})
        assert result.stdout == (f"not trusting the session at {served.url}: {served.directory} is writable by other users; "
                                 "only a session directory of your own that nobody else can write to is used\n"), result
    finally:
        os.chmod(served.directory, 0o700)
        served.stop()


def test_a_coordinator_paused_past_the_heartbeat_timeout_keeps_its_pilots_and_units(tmp_path):
    """Stopped (SIGSTOP) for twice the heartbeat timeout: its agents lose
    touch and link again once it runs (within their grace), so the pilot
    stays Running and every unit runs once, none is lost."""
    served = Served(tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session",
                    "--heartbeat-interval", "0.5", "--heartbeat-timeout", "2")
    marker = tmp_path / "ran"
    try:
        cds_url, pcs_url = run_client(f"""
            import pilot
            pcs = pilot.PilotComputeService()
            pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 2, "working_directory": "{tmp_path}/work"}})
            cds = pilot.ComputeDataService()
            cds.add_pilot_compute_service(pcs)
            cds.submit_compute_units([{{"executable": "/bin/sh", "shell": False,
                "arguments": ["-c", "echo $PILOT_UNIT_ID >> {marker}; sleep 0.05"]}} for _ in range(200)])
            print(cds.get_url(), pcs.get_url())
            """, tmp_path, served).split()
        assert eventually(lambda: marker.exists() and len(marker.read_text().splitlines()) >= 20, within=30)
        served.process.send_signal(signal.SIGSTOP)
        time.sleep(4)
        served.process.send_signal(signal.SIGCONT)
        result = run_client(f"""
            import collections, pilot
            cds = pilot.ComputeDataService(cds_url="{cds_url}")
            cds.wait()
            units = cds.list_compute_units()
            print(dict(collections.Counter(unit.get_state() for unit in units)))
            print([p.get_state() for p in pilot.PilotComputeService(pcs_url="{pcs_url}").list_pilots()])
            """, tmp_path, served, timeout=120)
    finally:
        served.stop()
    assert result == "{'Done': 200}\n['Running']\n", result
    lines = marker.read_text().splitlines()
    assert len(lines) == 200 and len(set(lines)) == 200, "each unit ran exactly once"
