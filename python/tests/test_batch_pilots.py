"""Old scripts on batch pilots: BigJob's start_pilot_job on SLURM and TROY
on Grid Engine (issue 7); state_detail is the batch system's own state."""

import troy
from bigjob import bigjob, description, subjob
from conftest import eventually


def test_bigjob_on_slurm_reports_slurms_state(tmp_path):
    bj = bigjob()
    bj.start_pilot_job("slurm://localhost", 1, None, None, str(tmp_path), None, 10, 1)
    jd = description()
    jd.executable = "/bin/echo"
    jd.arguments = ["on", "$SLURM_JOB_ID"]
    jd.output = "stdout.txt"
    sj = subjob()
    sj.submit_job(bj.pilot_url, jd)
    assert eventually(lambda: str(sj.get_state()) in ("Done", "Failed"), 120)
    assert sj.get_state() == "Done"
    job_id = bj.get_details()["native_id"]
    assert open(sj.get_details()["WorkingDirectory"] + "/stdout.txt").read() == f"on {job_id}\n"
    assert eventually(lambda: bj.get_state_detail() == "RUNNING"), bj.get_state_detail()
    bj.cancel()
    assert bj.get_state() == "Canceled"


def test_troy_pilot_job_on_grid_engine(tmp_path):
    service = troy.PilotJobService()
    pj = service.create("sge://localhost", {"number_of_processes": 1, "working_directory": str(tmp_path)})
    units = troy.WorkUnitService()
    units.add(service)
    wu = units.submit({"executable": "/bin/echo", "arguments": ["$JOB_ID"]})
    assert eventually(lambda: wu.get_state() == troy.State.Done, 180), wu.get_state_detail()
    assert eventually(lambda: pj.state_detail == "r"), pj.state_detail
    assert pj.get_state() == troy.State.Running
    service.cancel()
