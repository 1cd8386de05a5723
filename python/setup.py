"""Builds the Swift core (release) and ships libpilot.so, pilot-agent,
pilotctl and pilot.h inside the package, so an installed `pilot` needs
nothing else (`pilotctl` is on PATH through the package's script). The
package's version is the header's PILOT_VERSION."""

import re
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

REPOSITORY = Path(__file__).resolve().parent.parent
HEADER = REPOSITORY / "include" / "pilot.h"


def header_version():
    """PILOT_VERSION of include/pilot.h: one version for the C library, the
    Swift API and this package."""
    found = re.search(r'^#define PILOT_VERSION "([^"]+)"', HEADER.read_text(), flags=re.M)
    if found is None:
        raise SystemExit(f"{HEADER} defines no PILOT_VERSION \"MAJOR.MINOR.PATCH\"; build from a complete checkout")
    return found.group(1)


class BuildWithNativeCore(build_py):
    """`build_py` that also builds the Swift products and copies them into pilot/_lib."""

    def run(self):
        super().run()
        swift = ["swift", "build", "-c", "release", "--package-path", str(REPOSITORY)]
        for product in ("pilot", "pilot-agent", "pilotctl"):
            subprocess.check_call(swift + ["--product", product])
        binaries = Path(subprocess.check_output(swift + ["--show-bin-path"], text=True).strip())
        target = Path(self.build_lib) / "pilot" / "_lib"
        target.mkdir(parents=True, exist_ok=True)
        for source in (binaries / "libpilot.so", binaries / "pilot-agent", binaries / "pilotctl",
                       HEADER):
            shutil.copy2(source, target / source.name)


class NativeDistribution(Distribution):
    """The wheel holds native code: tag it for this platform."""

    def has_ext_modules(self):
        return True


setup(version=header_version(), cmdclass={"build_py": BuildWithNativeCore}, distclass=NativeDistribution)
