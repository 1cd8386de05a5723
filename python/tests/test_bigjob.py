"""BigJob's 2010 API: bigjob, subjob, description (issue 4, acceptance 1-2)."""

import time

import pytest

import pilot
from bigjob import bigjob, description, subjob
from conftest import run_script


def poll_until_final(sj, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = str(sj.get_state())
        if current in ("Done", "Failed"):
            return current
        time.sleep(0.05)
    return str(sj.get_state())


def test_example_local_single_flow(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bj = bigjob()
    url = bj.start_pilot_job("fork://localhost", 8, "", None, "agent", None, 10, 4)
    assert url == bj.pilot_url and bj.uuid.startswith("bj-")
    assert bj.get_details()["sandbox"] == f"{tmp_path}/agent/{bj.uuid}"
    jd = description()
    jd.executable = "/bin/echo"
    jd.number_of_processes = "1"
    jd.spmd_variation = "single"
    jd.arguments = ["$HELLOWORLD"]
    jd.environment = ["HELLOWORLD=hello_world"]
    jd.output = "stdout.txt"
    jd.error = "stderr.txt"
    sj = subjob()
    sj.submit_job(bj.pilot_url, jd)
    assert poll_until_final(sj) == "Done"
    sandbox = sj.get_details()["WorkingDirectory"]
    assert open(sandbox + "/stdout.txt").read() == "hello_world\n"
    assert sj.get_exe() == "/bin/echo" and sj.get_arguments() == ["$HELLOWORLD"]
    assert bj.list_subjobs() == [sj.get_url()]
    assert subjob(subjob_url=sj.get_url()).get_state() == "Done"
    assert bigjob(pilot_url=bj.pilot_url).get_state() == "Running"
    bj.cancel()
    assert bj.get_state() == "Canceled"


def test_bigjobs_own_example_with_the_pre_2012_signature(tmp_path):
    # BigJob's examples/example_local_single.py, ported to Python 3 (print),
    # with its advert:// coordination URL overridden by the environment.
    result = run_script('''
        import os, time, sys
        COORDINATION_URL = "advert://localhost/?dbtype=sqlite3"
        from bigjob import bigjob, subjob, description

        def main():
            queue=None
            project=None
            walltime=10
            processes_per_node=4
            number_of_processes = 8
            workingdirectory=os.path.join(os.getcwd(), "agent")
            userproxy = None
            lrms_url = "fork://localhost"
            print("Start Pilot Job/BigJob at: " + lrms_url)
            bj = bigjob(COORDINATION_URL)
            bj.start_pilot_job( lrms_url,
                                None,
                                number_of_processes,
                                queue,
                                project,
                                workingdirectory,
                                userproxy,
                                walltime,
                                processes_per_node)
            print("Pilot Job/BigJob URL: " + bj.pilot_url + " State: " + str(bj.get_state()))
            jd = description()
            jd.executable = "/bin/echo"
            jd.number_of_processes = "1"
            jd.spmd_variation = "single"
            jd.arguments = ["$HELLOWORLD"]
            jd.environment = ['HELLOWORLD=hello_world']
            jd.output = "stdout.txt"
            jd.error = "stderr.txt"
            sj = subjob()
            sj.submit_job(bj.pilot_url, jd)
            while 1:
                state = str(sj.get_state())
                print("state: " + state)
                if(state=="Failed" or state=="Done"):
                    break
                time.sleep(2)
            print(open(sj.get_details()["WorkingDirectory"] + "/stdout.txt").read(), end="")
            bj.cancel()

        if __name__ == "__main__":
            main()
    ''', cwd=tmp_path, env={"PILOT_COORDINATION_URL": "embedded"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Start Pilot Job/BigJob at: fork://localhost"
    assert lines[1].startswith("Pilot Job/BigJob URL: pilot://")
    assert lines[-2] == "state: Done"
    assert lines[-1] == "hello_world"


def test_agent_executable_in_second_place_is_skipped(tmp_path):
    bj = bigjob()
    bj.start_pilot_job("fork://localhost", "/opt/bigjob/bigjob_agent_launcher.sh", 2, None, None, str(tmp_path))
    assert bj.get_details()["slots"] == 2
    bj.cancel()


def test_misuse_gives_clear_errors(tmp_path):
    bj = bigjob()
    with pytest.raises(pilot.PilotError, match="call start_pilot_job first"):
        bj.get_state()
    bj.start_pilot_job("fork://localhost", 1, working_directory=str(tmp_path))
    with pytest.raises(pilot.PilotError, match="start_pilot_job was called already"):
        bj.start_pilot_job("fork://localhost", 1)
    with pytest.raises(pilot.PilotError, match="unknown argument 'nodes'"):
        bigjob().start_pilot_job("fork://localhost", nodes=2)
    with pytest.raises(pilot.PilotError, match="unknown scheme 'gram'"):
        bigjob().start_pilot_job("gram://host/jobmanager-pbs", 2)
    sj = subjob()
    assert sj.get_state() == "Unknown"
    with pytest.raises(pilot.PilotError, match="call submit_job first"):
        sj.get_details()
    bj.cancel()


def test_description_reads_unset_attributes_as_none():
    jd = description()
    assert jd.executable is None and jd.arguments is None
    jd.substitutes = {"A": 1}
    assert jd.substitutes == {"A": 1}
    with pytest.raises(AttributeError):
        jd.no_such_thing
