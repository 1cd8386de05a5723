"""The binding: declarations come from include/pilot.h itself, and every
function the header declares is callable from Python."""

import re
from pathlib import Path

from pilot import _native


def test_every_declared_function_is_bound():
    header = _native.HEADER_PATH.read_text()
    declared = re.findall(r"^(?:int|const char|void) \*?(pilot_[a-z_]+)\(", header, flags=re.M)
    assert len(declared) == 60
    for name in declared:
        assert callable(getattr(_native.lib, name)), name


def test_declarations_are_the_header_without_preprocessor_lines():
    text = _native.declarations(Path(_native.HEADER_PATH).read_text())
    assert "#" not in text
    assert 'extern "C"' not in text
    assert "int pilot_cds_submit_many(pilot_cds *cds, const char *units_json, char **out_ids_json);" in text


def test_version_and_state_names():
    import pilot

    assert pilot.version == "0.1.0"
    names = [_native.ffi.string(_native.lib.pilot_state_name(value)).decode() for value in range(8)]
    assert names == ["Unknown", "New", "Pending", "Staging", "Running", "Done", "Canceled", "Failed"]
