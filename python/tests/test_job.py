"""The job API from Python (pilot.job) on each resource manager CI runs:
local processes, ssh to 127.0.0.1:2222, SLURM and Grid Engine."""

import pytest

from pilot import PilotError, job


@pytest.mark.parametrize("url", ["fork://localhost", "ssh://localhost:2222", "slurm://localhost", "sge://localhost",
                                 "slurm+ssh://localhost:2222"])
def test_submit_info_array_and_terminate(tmp_path, url):
    service = job.JobService(url)
    failing = service.submit({"executable": "/bin/sh", "arguments": ["-c", "echo out; exit 3"],
                              "working_directory": str(tmp_path), "output": str(tmp_path / "failing.out")})
    assert service.wait([failing], timeout=120) == {failing: "failed"}
    info = service.info(failing)
    if info["state"] == "undetermined":  # Grid Engine's accounting file lags: ask again
        service.wait([failing], states=["failed"], timeout=60)
        info = service.info(failing)
    assert info["exit_status"] == 3
    assert service.peek(str(tmp_path / "failing.out"), 0, 100) == "out\n"

    ids = service.submit_array({"executable": "/bin/sh", "arguments": ["-c", f"echo $PILOT_TASK_INDEX > {tmp_path}/task-$PILOT_TASK_INDEX"],
                                "working_directory": str(tmp_path), "output": "/dev/null"},
                               begin=1, end=4, max_parallel=2)
    assert len(ids) == 4
    service.wait(ids, states=["done", "failed", "undetermined"], timeout=120)
    assert sorted((tmp_path / f"task-{index}").read_text() for index in range(1, 5)) == ["1\n", "2\n", "3\n", "4\n"]

    long = service.submit({"executable": "/bin/sleep", "arguments": ["600"], "working_directory": str(tmp_path),
                           "output": "/dev/null"})
    service.wait([long], states=["running"], timeout=120)
    assert service.state(long)[0] == "running"
    with pytest.raises(PilotError) as raised:
        service.wait([long], states=["done"], timeout=0.5)
    assert raised.value.code == -4  # PILOT_ERR_TIMEOUT
    service.terminate(long)
    assert service.wait([long], states=["failed", "undetermined"], timeout=120)[long] in ("failed", "undetermined")


def test_bad_job_input_is_a_clear_error():
    service = job.JobService("fork://localhost")
    with pytest.raises(PilotError, match="job description key 'colour' is unknown"):
        service.submit({"executable": "/bin/true", "colour": "red"})
    with pytest.raises(PilotError, match="job description needs 'executable'"):
        service.submit({})
    with pytest.raises(PilotError, match="job action 'pause' is unknown"):
        service.control("1", "pause")
    with pytest.raises(PilotError, match="slurm:// submits on this machine; for a login host use slurm\\+ssh://login"):
        job.JobService("slurm://login")
    with pytest.raises(PilotError, match="is not a SLURM job id"):
        job.JobService("slurm://localhost").state("1; reboot")


@pytest.mark.parametrize("url", ["fork://localhost", "slurm://localhost"])
def test_a_held_job_waits_is_listed_and_fails_when_terminated(tmp_path, url):
    service = job.JobService(url)
    held = service.submit({"executable": "/bin/true", "working_directory": str(tmp_path), "output": "/dev/null",
                           "held": True})
    assert service.wait([held], states=["queued_held"], timeout=30) == {held: "queued_held"}
    assert held in service.jobs()
    service.terminate(held)
    assert service.wait([held], timeout=30) == {held: "failed"}
    with pytest.raises(PilotError, match="jobs over ssh start at once; there is no queue to hold them in"):
        job.JobService("ssh://localhost:2222").submit({"executable": "/bin/true", "held": True})


def test_array_bounds_past_32_bits_are_a_clear_error():
    service = job.JobService("fork://localhost")
    with pytest.raises(PilotError, match="job array end must be an integer that fits 32 bits, got 1099511627776"):
        service.submit_array({"executable": "/bin/true"}, 1, 2**40)
    with pytest.raises(PilotError, match="job array 2147483646-2147483647:1 goes past index 2147483646"):
        service.submit_array({"executable": "/bin/true"}, 2**31 - 2, 2**31 - 1)
