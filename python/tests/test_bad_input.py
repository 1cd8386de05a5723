"""Malformed descriptions raise PilotError naming the key; the interpreter
survives every one (acceptance 5)."""

import pytest

import pilot

FORK = {"service_url": "fork://localhost", "number_of_processes": 1}

PILOT_CASES = [
    ({"service_url": "fork://localhost"}, "'number_of_processes'"),
    ({"number_of_processes": 1}, "'service_url'"),
    ({"service_url": "gram://host", "number_of_processes": 1}, "unknown scheme 'gram'"),
    ({"service_url": "fork://localhost", "number_of_processes": -2}, "'number_of_processes' must be between 1"),
    ({"service_url": "fork://localhost", "number_of_processes": "many"}, "'number_of_processes' must be a whole number, got 'many'"),
    ({"service_url": "fork://localhost", "number_of_processes": 1.5}, "'number_of_processes' must be a whole number"),
    ({"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "/proc/denied"}, "'working_directory'"),
    ({"service_url": "fork://localhost", "number_of_processes": 1, "walltime": "soon"}, "'walltime' must be a positive number"),
    ({"service_url": "fork://localhost", "number_of_processes": 1, "processes_per_node": 0}, "'processes_per_node'"),
    ({"service_url": "fork://localhost", "number_of_processes": 1, "file_transfer": "a > b"}, "'file_transfer' must be a list"),
    ({"service_url": "fork://localhost", "number_of_processes": 1, "queue": ["a"]}, "'queue' must be a string"),
    ({"service_url": "fork://localhost", "number_of_processes": 1, 7: "x"}, "has the key 7"),
    ("fork://localhost", "pilot compute description must be a dict"),
]

UNIT_CASES = [
    ({"arguments": ["x"]}, "'executable'"),
    ({"executable": ""}, "'executable'"),
    ({"executable": "/bin/true", "arguments": "not a list"}, "'arguments' must be a list"),
    ({"executable": "/bin/true", "arguments": [{"a": 1}]}, "'arguments' item 0 must be a string or number"),
    ({"executable": "/bin/true", "environment": {1: "x"}}, "'environment' has the variable name 1"),
    ({"executable": "/bin/true", "environment": ["NOEQUALS"]}, "'environment' item 0 must be a \"NAME=value\" string"),
    ({"executable": "/bin/true", "environment": "A=1"}, "'environment' must be an object"),
    ({"executable": "/bin/true", "number_of_processes": 0}, "'number_of_processes' must be between 1"),
    ({"executable": "/bin/true", "number_of_processes": "two"}, "'number_of_processes' must be a whole number, got 'two'"),
    ({"executable": "/bin/true", "number_of_processes": 5}, "'number_of_processes' asks for 5 slots but the largest pilot available has 1"),
    ({"executable": "/bin/true", "output": "../../etc/passwd"}, "'output' '../../etc/passwd' leaves the unit's working directory"),
    ({"executable": "/bin/true", "spmd_variation": "openmp"}, "'spmd_variation' must be 'single' or 'mpi'"),
    ({"executable": "/bin/true", "shell": "yes"}, "'shell' must be true or false"),
    ({"executable": "/bin/true", "working_directory": ""}, "'working_directory' must be a non-empty path"),
    ({"executable": "/bin/true", "input": 5}, "'input' must be a string"),
    ({"executable": "/bin/true", "arguments": [object()]}, "'arguments'[0] holds a object"),
    (["/bin/true"], "compute unit description must be a dict"),
]


@pytest.fixture(scope="module")
def one_slot_pilot(tmp_path_factory):
    service = pilot.PilotComputeService()
    pilotjob = service.create_pilot(dict(FORK, working_directory=str(tmp_path_factory.mktemp("bad"))))
    yield pilotjob
    service.cancel()


@pytest.mark.parametrize("description, message", PILOT_CASES)
def test_malformed_pilot_descriptions(description, message, tmp_path):
    service = pilot.PilotComputeService()
    with pytest.raises(pilot.PilotError) as raised:
        service.create_pilot(description)
    assert message in str(raised.value)
    assert raised.value.value == str(raised.value)


@pytest.mark.parametrize("description, message", UNIT_CASES)
def test_malformed_unit_descriptions(description, message, one_slot_pilot):
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit(description)
    assert message in str(raised.value)


def test_enough_cases_and_the_pilot_still_works(one_slot_pilot):
    assert len(PILOT_CASES) + len(UNIT_CASES) >= 20
    unit = one_slot_pilot.submit_compute_unit({"executable": "/bin/echo", "arguments": ["still", "alive"]})
    assert unit.wait(timeout=10) == "Done"


def test_redis_coordination_gives_a_clear_error(monkeypatch):
    monkeypatch.delenv("PILOT_COORDINATION_URL", raising=False)
    with pytest.raises(pilot.PilotError) as raised:
        pilot.PilotComputeService(coordination_url="redis://localhost:6379")
    assert "Redis coordination is not available in this build" in str(raised.value)
    assert "embedded" in str(raised.value)


def test_environment_override_selects_the_embedded_coordinator(monkeypatch):
    monkeypatch.setenv("PILOT_COORDINATION_URL", "embedded")
    assert pilot.PilotComputeService(coordination_url="redis://localhost:6379").id.startswith("pcs-")


def test_missing_attributes_raise_attribute_error():
    description = pilot.ComputeUnitDescription(executable="/bin/date")
    assert description.executable == "/bin/date"
    assert not hasattr(description, "arguments")
    description.arguments = ["-u"]
    assert description["arguments"] == ["-u"]
