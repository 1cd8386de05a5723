"""`pilotctl` on PATH for an installed package: runs the pilotctl binary
that sits beside the libpilot.so this package loads."""

import os
import sys
from pathlib import Path


def executable():
    """The pilotctl beside the library the package uses."""
    from ._native import LIBRARY_PATH
    return Path(LIBRARY_PATH).parent / "pilotctl"


def main():
    program = executable()
    if not program.exists():
        sys.exit(f"pilotctl not found at {program}; build it with 'swift build' or reinstall the package")
    os.execv(str(program), [str(program), *sys.argv[1:]])
