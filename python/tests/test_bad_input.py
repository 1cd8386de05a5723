"""Malformed descriptions raise PilotError naming the key; the interpreter
survives every one (acceptance 5)."""

import pytest

import pilot
from pilot import _native
from pilot._native import lib

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
    ({"executable": "/bin/true", "arguments": ["x" * (5 << 20)], "environment": {"BIG": "y" * (4 << 20)}},
     "'arguments' with the executable and the environment they take 9437196 bytes; a unit carries at most 8 MiB "
     "(exec itself takes about 2 MiB on Linux): pass large data in a file"),
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


def _nested(levels, key="x"):
    """A dict `levels` dicts deep (itself included)."""
    outer = current = {}
    for _ in range(levels - 1):
        current[key] = {}
        current = current[key]
    return outer


TOO_DEEP = ("compute unit description is nested too deeply: more than 100 levels of dicts and lists "
            "(under key '{}'); flatten it to at most 100 levels")


@pytest.mark.parametrize("key", ["environment", "arguments", "colour"])
def test_a_description_nested_10000_deep_is_a_pilot_error(key, one_slot_pilot):
    deep = _nested(10_000) if key != "arguments" else [_nested(10_000)]
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", key: deep})
    assert str(raised.value) == TOO_DEEP.format(key)


def test_the_nesting_limit_is_100_levels_counting_the_description(one_slot_pilot):
    # The description is level 1, so a value under a key may nest 99 levels.
    unit = one_slot_pilot.submit_compute_unit({"executable": "/bin/true", "colour": _nested(99)})
    assert unit.wait(timeout=10) == "Done"
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", "colour": _nested(100)})
    assert str(raised.value) == TOO_DEEP.format("colour")


def test_a_description_that_contains_itself_is_a_pilot_error(one_slot_pilot):
    loop = {"a": 1}
    loop["again"] = loop
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", "colour": loop})
    assert str(raised.value) == ("compute unit description key 'colour'['again'] contains itself; "
                                 "a description must be a tree of dicts and lists")


def test_deep_json_through_the_c_abi_is_an_error(one_slot_pilot):
    nested = '{"x": ' * 10_000 + "{}" + "}" * 10_000
    text = '{"executable": "/bin/true", "environment": ' + nested + "}"
    with pytest.raises(pilot.PilotError) as raised:
        _native.call_handle(lib.pilot_compute_submit, "pilot_unit", one_slot_pilot._handle, text.encode())
    assert str(raised.value) == ("unit_json is nested too deeply: more than 100 levels of objects and lists "
                                 "(at byte 637); flatten it to at most 100 levels")
    assert raised.value.code == lib.PILOT_ERR_INVALID_ARGUMENT


def test_a_10_megabyte_service_url_gives_a_short_message():
    huge = "x" * (10 << 20)
    with pytest.raises(pilot.PilotError) as raised:
        pilot.PilotComputeService().create_pilot({"service_url": huge, "number_of_processes": 1})
    message = str(raised.value)
    assert len(message.encode()) < 400
    assert message.startswith(f"service_url '{'x' * 80}…' (10485760 bytes) is not a URL; use one of fork://, ")
    assert message.endswith("e.g. fork://localhost")


@pytest.mark.parametrize("description, start", [
    ({"service_url": "fork://" + "x" * (10 << 20)}, "service_url 'fork://" + "x" * 73 + "…' (10485767 bytes) names a host longer than 253 bytes"),
    ({"service_url": "fork://localhost", "working_directory": "/" + "w" * (1 << 20)},
     "pilot compute description key 'working_directory' '/" + "w" * 79 + "…' (1048577 bytes) is longer than"),
])
def test_every_message_about_a_huge_pilot_value_stays_short(description, start):
    with pytest.raises(pilot.PilotError) as raised:
        pilot.PilotComputeService().create_pilot(dict(description, number_of_processes=1))
    message = str(raised.value)
    assert len(message.encode()) < 400 and message.startswith(start), message[:300]


def test_long_keys_in_python_messages_are_bounded(one_slot_pilot):
    key = "k" * (10 << 20)
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", "colour": {key: {1: 2}}})
    message = str(raised.value)
    assert len(message.encode()) < 400
    assert message == (f"compute unit description key 'colour'['{'k' * 80}…' (10485760 bytes)] "
                       "has the key 1 of type int; keys must be strings")


@pytest.mark.parametrize("environment", [{"X": "a\0b"}, ["X=a\0b"]])
def test_nul_in_an_environment_value_names_the_value(environment, one_slot_pilot):
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", "environment": environment})
    assert str(raised.value) == ("compute unit description key 'environment' is invalid: the value of variable 'X' "
                                 "contains a NUL byte, which an environment cannot hold; remove it")


@pytest.mark.parametrize("environment, name", [({"A\0B": "1"}, "'A\\0B'"), ({"A=B": "1"}, "'A=B'"),
                                               ({"": "1"}, "''"), (["A\0B=1"], "'A\\0B'")])
def test_bad_environment_names_are_still_names(environment, name, one_slot_pilot):
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", "environment": environment})
    assert str(raised.value) == (f"compute unit description key 'environment' has an invalid variable name {name} "
                                 "(names are non-empty and hold no '=' or NUL)")


CLIMBS = ("compute unit description key '{key}' '{path}' leaves {base}: a relative path may not contain '..'; "
          "use a path inside it, or an absolute path if you mean a place outside it")


@pytest.mark.parametrize("key, path, base", [
    ("working_directory", "../..", "the pilot's sandbox"),
    ("working_directory", "sub/../../x", "the pilot's sandbox"),
    ("output", "../x", "the unit's working directory"),
    ("input", "../x", "the unit's working directory"),
    ("error", "a/../../x", "the unit's working directory"),
])
def test_relative_paths_may_not_climb_out(key, path, base, one_slot_pilot):
    with pytest.raises(pilot.PilotError) as raised:
        one_slot_pilot.submit_compute_unit({"executable": "/bin/true", key: path})
    assert str(raised.value) == CLIMBS.format(key=key, path=path, base=base)


def test_paths_inside_the_sandbox_or_absolute_are_accepted(one_slot_pilot, tmp_path):
    inside = one_slot_pilot.submit_compute_unit({"executable": "/bin/pwd", "working_directory": "sub/dir"})
    assert inside.wait(timeout=10) == "Done"
    assert inside.get_local_working_directory().endswith("/sub/dir")
    absolute = tmp_path / "abs" / "path"
    outside = one_slot_pilot.submit_compute_unit({"executable": "/bin/pwd", "working_directory": str(absolute),
                                                  "output": str(tmp_path / "out.txt")})
    assert outside.wait(timeout=10) == "Done"
    assert outside.get_local_working_directory() == str(absolute)
    assert (tmp_path / "out.txt").read_text().strip() == str(absolute)
