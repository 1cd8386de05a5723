"""The binding: declarations come from include/pilot.h itself, and every
function the header declares is callable from Python."""

import re
from pathlib import Path

from pilot import _native


def test_every_declared_function_is_bound():
    header = _native.HEADER_PATH.read_text()
    declared = re.findall(r"^(?:int|const char|void) \*?(pilot_[a-z_]+)\(", header, flags=re.M)
    assert len(declared) == 93
    for name in declared:
        assert callable(getattr(_native.lib, name)), name


def test_declarations_are_the_header_without_preprocessor_lines_but_integer_constants():
    text = _native.declarations(Path(_native.HEADER_PATH).read_text())
    assert [line for line in text.splitlines() if "#" in line] == [
        "#define PILOT_VERSION_MAJOR 0", "#define PILOT_VERSION_MINOR 1", "#define PILOT_VERSION_PATCH 0"]
    assert 'extern "C"' not in text
    assert "int pilot_cds_submit_many(pilot_cds *cds, const char *units_json, char **out_ids_json);" in text


def test_one_version_for_header_library_and_package():
    import pilot

    lib = _native.lib
    assert pilot.version == f"{lib.PILOT_VERSION_MAJOR}.{lib.PILOT_VERSION_MINOR}.{lib.PILOT_VERSION_PATCH}" == "0.1.0"
    # The installed package's own version is checked by test_install (setup.py reads the header).


def test_state_names():
    names = [_native.ffi.string(_native.lib.pilot_state_name(value)).decode() for value in range(8)]
    assert names == ["Unknown", "New", "Pending", "Staging", "Running", "Done", "Canceled", "Failed"]


def test_job_states_and_actions_are_the_headers_enumerators():
    from pilot import job

    lib = _native.lib
    assert job.STATES == ("undetermined", "queued", "queued_held", "running", "suspended", "requeued", "requeued_held",
                          "done", "failed")
    assert [getattr(lib, "PILOT_JOB_" + name.upper()) for name in job.STATES] == list(range(9))
    assert job._CONTROLS == {"terminate": lib.PILOT_JOB_TERMINATE, "suspend": lib.PILOT_JOB_SUSPEND,
                             "resume": lib.PILOT_JOB_RESUME, "hold": lib.PILOT_JOB_HOLD, "release": lib.PILOT_JOB_RELEASE}


def test_event_kinds_and_states_are_the_headers_enumerators():
    from pilot import events

    lib = _native.lib
    assert events._KINDS == {lib.PILOT_OBJECT_PILOT: "pilot", lib.PILOT_OBJECT_UNIT: "unit"}
    assert [events._name(number) for number in range(-1, 9)] == [
        "Unknown", "Unknown", "New", "Pending", "Staging", "Running", "Done", "Canceled", "Failed", "Unknown"]


def test_capabilities_are_the_cores():
    import pilot

    assert pilot.capabilities() == {
        "pilot_schemes": ["fork", "ssh", "slurm", "pbs", "sge", "slurm+ssh", "pbs+ssh", "sge+ssh"],
        "job_schemes": ["fork", "ssh", "slurm", "pbs", "sge", "slurm+ssh", "pbs+ssh", "sge+ssh"],
        "features": ["serve", "journal", "mpi", "job-arrays", "early-binding", "affinity", "wall-time", "restartable", "staging", "pilot-data"],
    }
