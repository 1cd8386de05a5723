"""pilot.h's declarations as cffi's cdef takes them. A module of its own,
without imports of the package, so setup.py precompiles them with the
same rules the package parses them with."""

import re

_INTEGER_MACRO = re.compile(r"\s*#define\s+PILOT_\w+\s+\d+\s*$")


def declarations(header_text):
    """The header's declarations as cffi's cdef takes them: no C++ guards,
    no preprocessor lines but the integer constants (`#define
    PILOT_VERSION_MAJOR 0` becomes lib.PILOT_VERSION_MAJOR)."""
    text = re.sub(r"#ifdef __cplusplus.*?#endif", "", header_text, flags=re.S)
    return "\n".join(line for line in text.splitlines()
                     if not line.lstrip().startswith("#") or _INTEGER_MACRO.match(line))
