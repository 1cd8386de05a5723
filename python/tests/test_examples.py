"""BigJob's own examples, run unchanged (acceptance 1 and 2)."""

import os
import re

from conftest import PYTHON_DIR, run_script


def test_docstring_example_of_the_pilot_package(tmp_path):
    # The example from BigJob's pilot/__init__.py docstring, verbatim; it
    # uses `os` without importing it, so the script imports it first.
    result = run_script('''
        import os
        from pilot import PilotComputeService, ComputeDataService, State

        pilot_compute_service = PilotComputeService()

        # create pilot job service and initiate a pilot job
        pilot_compute_description = {
                                 "service_url": 'fork://localhost',
                                 "number_of_processes": 1,
                                 "working_directory": os.path.join(os.getcwd(),"work"),
                                 'affinity_datacenter_label': "eu-de-south",
                                 'affinity_machine_label': "mymachine"
                                }

        pilotjob = pilot_compute_service.create_pilot(pilot_compute_description=pilot_compute_description)

        compute_data_service = ComputeDataService()
        compute_data_service.add_pilot_compute_service(pilot_compute_service)

        # start work unit
        compute_unit_description = {
                "executable": "/bin/date",
                "arguments": [""],
                "number_of_processes": 1,
                "output": "stdout.txt",
                "error": "stderr.txt",
                "affinity_datacenter_label": "eu-de-south",
                "affinity_machine_label": "mymachine"
        }

        compute_unit = compute_data_service.submit_compute_unit(compute_unit_description)

        compute_data_service.wait()

        compute_data_service.cancel()

        print(compute_unit.get_state())
        print(compute_unit.get_local_working_directory())
    ''', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    state, sandbox = result.stdout.splitlines()
    assert state == "Done"
    # The example's own working directory: "work" under its current directory.
    assert re.fullmatch(rf"{os.path.join(tmp_path, 'work')}/bj-[0-9a-f-]{{36}}/sj-[0-9a-f-]{{36}}", sandbox)
    date = open(f"{sandbox}/stdout.txt").read()
    assert re.fullmatch(r"\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \w+ \d{4}\n", date), date
    assert open(f"{sandbox}/stderr.txt").read() == ""


def test_tutorial_task_numbers(tmp_path, pilot_service):
    import pilot

    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 4,
                                           "working_directory": str(tmp_path)})
    units = []
    for i in range(16):
        description = pilot.ComputeUnitDescription()
        description.executable = "/bin/echo"
        description.arguments = ["I am task number $TASK_NO"]
        description.environment = {"TASK_NO": i}
        description.output = "stdout.txt"
        units.append(pilotjob.submit_compute_unit(description))
    pilotjob.wait()
    for i, unit in enumerate(units):
        assert unit.get_state() == pilot.State.Done
        assert open(unit.get_local_working_directory() + "/stdout.txt").read() == f"I am task number {i}\n"


def test_the_tutorial_in_examples(tmp_path):
    source = (PYTHON_DIR.parent / "examples" / "tutorial.py").read_text()
    result = run_script(source, cwd=tmp_path, env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"Done I am task number {i}" for i in range(16)]
    assert len(list(tmp_path.glob("bj-*"))) == 1, "the pilot sandbox is in $HOME, BigJob's default"
