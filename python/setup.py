"""Builds the Swift core (release) and ships it inside the package, so an
installed `pilot` needs no Swift toolchain: libpilot.so and pilotctl with
the Swift runtime libraries they load beside them (found through a RUNPATH
of $ORIGIN), pilot-agent with the runtime linked in (it is also copied to
hosts without Swift), pilot.h, and the header's declarations precompiled
for cffi. The wheel is tagged manylinux for the newest glibc symbol its
binaries need. The package's version is the header's PILOT_VERSION."""

import importlib.util
import platform
import re
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

REPOSITORY = Path(__file__).resolve().parent.parent
HEADER = REPOSITORY / "include" / "pilot.h"

# Libraries every manylinux system provides (PEP 600's policy for glibc
# systems); everything else a shipped binary loads is bundled.
SYSTEM_LIBRARIES = {"libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0",
                    "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
                    "linux-vdso.so.1"}


def header_version():
    """PILOT_VERSION of include/pilot.h: one version for the C library, the
    Swift API and this package."""
    found = re.search(r'^#define PILOT_VERSION "([^"]+)"', HEADER.read_text(), flags=re.M)
    if found is None:
        raise SystemExit(f"{HEADER} defines no PILOT_VERSION \"MAJOR.MINOR.PATCH\"; build from a complete checkout")
    return found.group(1)


def swift_products(*arguments):
    """Builds `arguments`' products in release; returns their directory."""
    swift = ["swift", "build", "-c", "release", "--package-path", str(REPOSITORY), *arguments]
    subprocess.check_call(swift)
    return Path(subprocess.check_output(swift + ["--show-bin-path"], text=True).strip())


def loaded_libraries(binary):
    """{soname: path} of the shared libraries `binary` loads, as ldd resolves them."""
    listing = subprocess.check_output(["ldd", str(binary)], text=True)
    return {found.group(1): Path(found.group(2))
            for found in re.finditer(r"^\s*(\S+) => (/\S+)", listing, flags=re.M)}


def bundle_runtime(built, target):
    """Copies every library the `built` binaries load that a manylinux
    system lacks (the Swift runtime, libyaml) into `target`, where copies of
    the binaries are, and points all of them at $ORIGIN. The libraries are
    looked up from the binaries as built, not from earlier copies."""
    bundled = {}
    for binary in built:
        for name, path in loaded_libraries(binary).items():
            if name not in SYSTEM_LIBRARIES:
                bundled[name] = path
    for name, path in sorted(bundled.items()):
        shutil.copyfile(path, target / name)
    for placed in [*(target / binary.name for binary in built), *(target / name for name in bundled)]:
        subprocess.check_call(["patchelf", "--set-rpath", "$ORIGIN", str(placed)])


def precompiled_declarations(target):
    """pilot/_ffi.py: the header's declarations parsed now, so `import pilot`
    does not load cffi's C parser (half of its import time)."""
    from cffi import FFI
    rules = importlib.util.spec_from_file_location("pilot_header", Path(__file__).resolve().parent / "pilot" / "_header.py")
    header = importlib.util.module_from_spec(rules)
    rules.loader.exec_module(header)
    builder = FFI()
    builder.cdef(header.declarations(HEADER.read_text()))
    builder.set_source("pilot._ffi", None)
    builder.emit_python_code(str(target / "_ffi.py"))


class BuildWithNativeCore(build_py):
    """`build_py` that also builds the Swift products into pilot/_lib."""

    def run(self):
        super().run()
        package = Path(self.build_lib) / "pilot"
        target = package / "_lib"
        target.mkdir(parents=True, exist_ok=True)
        dynamic = swift_products("--product", "pilot")
        swift_products("--product", "pilotctl")
        # Its own scratch path: the static runtime must not mix with the
        # dynamic build's objects (.ci/build-static-agent.sh uses the same).
        static = swift_products("--static-swift-stdlib", "--scratch-path", str(REPOSITORY / ".build-static"),
                                "--product", "pilot-agent")
        for source in (dynamic / "libpilot.so", dynamic / "pilotctl", static / "pilot-agent"):
            subprocess.check_call(["strip", "--strip-unneeded", "-o", str(target / source.name), str(source)])
        shutil.copy2(HEADER, target / HEADER.name)
        bundle_runtime([dynamic / "libpilot.so", dynamic / "pilotctl"], target)
        precompiled_declarations(package)


class ManylinuxWheel(bdist_wheel):
    """Tags the wheel py3-none-manylinux_X_Y_<arch>: the binaries are called
    through cffi's ABI mode (any Python 3) and need glibc X.Y at most."""

    def get_tag(self):
        library_directory = Path(self.get_finalized_command("build_py").build_lib) / "pilot" / "_lib"
        needed = set()
        for binary in library_directory.iterdir():
            symbols = subprocess.run(["objdump", "-T", str(binary)], capture_output=True, text=True).stdout
            needed |= {tuple(map(int, version)) for version in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols)}
        major, minor = max(needed, default=(2, 17))
        return "py3", "none", f"manylinux_{major}_{minor}_{platform.machine()}"


class NativeDistribution(Distribution):
    """The wheel holds native code: it is not pure Python."""

    def has_ext_modules(self):
        return True


setup(version=header_version(),
      cmdclass={"build_py": BuildWithNativeCore, "bdist_wheel": ManylinuxWheel},
      distclass=NativeDistribution)
