"""Time limits from Python: a unit's wall_time_limit, a pilot's walltime
with wall_time_left, and restartable units (issue 6, acceptance 4 and 5)."""

import troy

import pilot
from conftest import eventually, processes_under


def test_a_unit_past_its_wall_time_limit_is_killed(tmp_path, pilot_service):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                           "working_directory": str(tmp_path)})
    unit = pilotjob.submit_compute_unit({"executable": "/bin/sleep", "arguments": [600], "wall_time_limit": 0.02})
    assert unit.wait(timeout=10) == "Failed"
    assert unit.get_details()["reason"] == "timeout: ran past its wall_time_limit of 1.2 s and was killed"
    assert processes_under(unit.get_local_working_directory()) == []


def test_a_pilot_ends_at_its_walltime_and_restartable_units_move_on(tmp_path, pilot_service):
    service = pilot.ComputeDataService()
    service.add_pilot_compute_service(pilot_service)
    first = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                        "working_directory": str(tmp_path), "walltime": 0.03})
    marker = tmp_path / "marker"
    stuck = service.submit_compute_unit({"executable": "/bin/sleep", "arguments": [600]})
    again = service.submit_compute_unit({"executable": f"test -e {marker} || {{ touch {marker}; sleep 600; }}",
                                         "restartable": True})
    assert eventually(lambda: stuck.get_state() == "Running" and again.get_state() == "Running")
    assert 0 < first.get_details()["wall_time_left"] <= 1.8
    assert eventually(lambda: first.get_state() == "Done")
    assert first.get_details()["reason"] == "wall time of 1.8 s reached"
    assert stuck.get_state() == "Failed"
    assert again.get_state() == "New"
    pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                "working_directory": str(tmp_path)})
    service.wait(timeout=20)
    assert again.get_state() == "Done"


def test_troy_wall_time_left_comes_from_the_core(tmp_path):
    service = troy.PilotJobService()
    description = troy.PilotJobDescription()
    description.number_of_processes = 1
    description.working_directory = str(tmp_path)
    description.wall_time_limit = 2
    job = service.create("fork://localhost", description)
    assert eventually(lambda: job.get_state() == troy.State.Running)
    assert 1.9 < job.wall_time_left <= 2
    service.cancel()
    assert job.wall_time_left == 0
