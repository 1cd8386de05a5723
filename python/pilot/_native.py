"""The binding to libpilot.so: cffi in ABI mode, declarations read from
pilot.h itself (so the header is the single source of truth), one helper
that turns status codes into PilotError.

Why cffi and not ctypes: cffi parses the C header, so no second copy of
the declarations can drift; it releases the GIL around every call and
takes it for callbacks arriving on the library's own threads.
"""

import os
from pathlib import Path

from ._header import declarations
from .errors import PilotError

_PACKAGE = Path(__file__).resolve().parent
_TREE = _PACKAGE.parent.parent


def _locate():
    """(library, header): $PILOT_LIBRARY_DIR, else the installed copy in
    pilot/_lib, else this source tree's newest `swift build` output."""
    explicit = os.environ.get("PILOT_LIBRARY_DIR")
    if explicit:
        return Path(explicit) / "libpilot.so", Path(explicit) / "pilot.h"
    installed = _PACKAGE / "_lib"
    if (installed / "libpilot.so").exists():
        return installed / "libpilot.so", installed / "pilot.h"
    built = [p for p in (_TREE / ".build" / "release" / "libpilot.so", _TREE / ".build" / "debug" / "libpilot.so") if p.exists()]
    if not built:
        raise ImportError("libpilot.so not found: install the package (pip install ./python) or run 'swift build' in the repository")
    return max(built, key=lambda p: p.stat().st_mtime), _TREE / "include" / "pilot.h"


def _declared():
    """The FFI with the header's declarations: precompiled by setup.py
    beside an installed library (pilot/_ffi.py), else parsed now."""
    if LIBRARY_PATH.parent == _PACKAGE / "_lib":
        try:
            from ._ffi import ffi as precompiled
            return precompiled
        except ImportError:
            pass
    from cffi import FFI
    parsed = FFI()
    parsed.cdef(declarations(HEADER_PATH.read_text()))
    return parsed


LIBRARY_PATH, HEADER_PATH = _locate()
ffi = _declared()
# Never unloaded: the library's threads outlive any Python object (cffi would
# otherwise dlclose it during interpreter finalization while they run).
lib = ffi.dlopen(str(LIBRARY_PATH), ffi.RTLD_NOW | ffi.RTLD_NODELETE)

TIMEOUT = lib.PILOT_ERR_TIMEOUT


def enum_names(enum, prefix):
    """{number: name} of the pilot.h enum `enum`, in the numbers' order, each
    name its enumerator without `prefix`, in lower case
    (PILOT_JOB_QUEUED_HELD with prefix PILOT_JOB_: "queued_held"). The
    header is the one source of the numbers."""
    elements = ffi.typeof(enum).elements
    return {number: elements[number][len(prefix):].lower() for number in sorted(elements)}


def check(status):
    """Raises PilotError with the library's message unless `status` is PILOT_OK."""
    if status != lib.PILOT_OK:
        raise PilotError(ffi.string(lib.pilot_last_error()).decode("utf-8", "replace"), status)


def take_string(pointer):
    """Python text from a char * the library returned, which is then freed."""
    try:
        return ffi.string(pointer).decode("utf-8")
    finally:
        lib.pilot_string_free(pointer)


def call_string(function, *arguments):
    """Calls a function whose last parameter is `char **out`; returns the text."""
    out = ffi.new("char **")
    check(function(*arguments, out))
    return take_string(out[0])


def call_handle(function, ctype, *arguments):
    """Calls a function whose last parameter is `<ctype> **out`; returns the handle."""
    out = ffi.new(ctype + " **")
    check(function(*arguments, out))
    return out[0]


def call_state(function, *arguments):
    """Calls a function whose last parameter is `int *out_state`; returns the state."""
    out = ffi.new("int *")
    check(function(*arguments, out))
    return out[0]
