"""Native handles owned by Python objects, URLs, and waits that Ctrl-C can end."""

import math
import numbers
import re
import time
import weakref
from collections import namedtuple

from . import _native
from . import session as sessions
from .errors import PilotError, quoted


def own(owner, handle, release):
    """Releases `handle` with `release` when `owner` is collected (or at exit)."""
    weakref.finalize(owner, release, handle)
    return handle


_ID = re.compile(r"\b((?:bj|cu|sj|pcs|cds|pds|pd|du)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b")


def url(session, path):
    """A URL for an object of `session`: `<coordination URL>/<path>` for a
    served session (another process reconnects with it), else
    `pilot://<session id>/<path>` (this process only)."""
    if session.url is not None:
        return f"{session.url}/{path}"
    return f"pilot://{session.id}/{path}"


def resolve(text, prefix):
    """(session, id) for a URL or a bare `prefix-<uuid>` id (a unit's `sj-`
    id becomes its `cu-` id). A served session's URL opens a session on its
    coordinator; a bare id is looked up in the process's default session."""
    if not isinstance(text, str):
        raise PilotError(f"the URL must be a string, got {type(text).__name__}")
    found = [match for match in _ID.findall(text)]
    wanted = [item for item in found if item.startswith(prefix + "-") or (prefix == "cu" and item.startswith("sj-"))]
    if not wanted:
        raise PilotError(f"{quoted(text)} names no {prefix}-<uuid> object")
    identifier = wanted[-1]
    identifier = "cu-" + identifier[3:] if identifier.startswith("sj-") else identifier
    if text.startswith(("pilot+unix://", "pilot+tcp://")):
        return sessions.current(text.rsplit("/", 1)[0]), identifier
    default = sessions.current()
    if text.startswith("pilot://") and not text.startswith(f"pilot://{default.id}/"):
        raise PilotError(f"{quoted(text)} belongs to the embedded session of another process, which only that process "
                         "can reach; share a session between processes with `pilotctl serve` and "
                         "PILOT_COORDINATION_URL")
    return default, identifier


Progress = namedtuple("Progress", "total done failed canceled running queued elapsed rate eta")
Progress.__doc__ = """How far the units of a wait have come: counts by state (running
includes staging, queued is not started yet), seconds since the wait
began, units final per second since then, and seconds left at that rate
(None while unknown)."""


def wait_with_progress(wait_call, timeout=None, progress=None, on_interrupt=None):
    """Waits in the core, which shows progress on stderr (`progress` None:
    a line on a terminal, else a summary after a second; False: nothing)
    and calls back four times a second; a callable `progress` gets a
    Progress each time (stderr then shows nothing). A Ctrl-C arrives in
    the callback, which stops the wait: `on_interrupt` runs (it cancels)
    and the KeyboardInterrupt goes on. `wait_call(seconds, display,
    interval, callback)` is the native call."""
    if progress is not None and progress is not False and not callable(progress):
        raise PilotError(f"progress must be None, False or a function taking a Progress, got {quoted(progress)}")
    _check_timeout(timeout)
    raised = []

    def stop(_type, error, _traceback):
        """An exception in the callback, even one raised before its first line
        runs (a Ctrl-C arrives at any bytecode), is kept and stops the wait."""
        raised.append(error)
        return 1

    @_native.ffi.callback("pilot_progress_fn", onerror=stop)
    def tick(record, _context):
        if callable(progress):
            progress(Progress(record.total, record.done, record.failed, record.canceled, record.running,
                              record.queued, record.elapsed, record.rate, None if record.eta < 0 else record.eta))
        return 0

    display = _native.lib.PILOT_PROGRESS_AUTO if progress is None else _native.lib.PILOT_PROGRESS_NONE
    status = wait_call(-1.0 if timeout is None else float(timeout), display, 0.25, tick)
    if raised:
        if isinstance(raised[0], KeyboardInterrupt) and on_interrupt is not None:
            on_interrupt()
        raise raised[0]
    _native.check(status)


def _check_timeout(timeout):
    """Refuses a timeout that is not a number of seconds or None."""
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, numbers.Real)):
        raise PilotError(f"timeout must be a number of seconds or None, got {quoted(timeout)}")


def wait(wait_slice, timeout=None, on_interrupt=None):
    """Waits in slices of at most 0.25 s so that Ctrl-C is seen; the native
    wait sleeps inside each slice (no polling of state). `timeout` reads as
    the core reads it: None or negative waits without limit, NaN is an
    error. On Ctrl-C, `on_interrupt` runs (it cancels) and the
    KeyboardInterrupt goes on."""
    _check_timeout(timeout)
    if timeout is not None and math.isnan(timeout):
        _native.check(wait_slice(timeout))  # the core's own refusal
    deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
    try:
        while True:
            remaining = 0.25 if deadline is None else max(0.0, min(0.25, deadline - time.monotonic()))
            status = wait_slice(remaining)
            if status != _native.TIMEOUT:
                _native.check(status)
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise _timed_out(timeout)
    except KeyboardInterrupt:
        if on_interrupt is not None:
            on_interrupt()
        raise


def _timed_out(timeout):
    """The core's timeout error of the last slice, saying the whole wait's limit."""
    message = _native.ffi.string(_native.lib.pilot_last_error()).decode("utf-8", "replace")
    waited, found, _ = message.rpartition(" within ")
    return PilotError(f"{waited} within {_duration_text(timeout)}" if found else message, _native.TIMEOUT)


def _duration_text(seconds):
    """A duration as the core's messages write it: "5 s", "0.25 s", "2.5 min"."""
    value, unit = (seconds, "s") if seconds < 60 else (seconds / 60, "min")
    rounded = round(value, 2)
    return f"{int(rounded) if rounded == int(rounded) else rounded} {unit}"
