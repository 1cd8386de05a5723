"""Native handles owned by Python objects, URLs, and waits that Ctrl-C can end."""

import re
import time
import weakref

from . import _native
from .errors import PilotError


def own(owner, handle, release):
    """Releases `handle` with `release` when `owner` is collected (or at exit)."""
    weakref.finalize(owner, release, handle)
    return handle


_ID = re.compile(r"\b((?:bj|cu|sj|pcs|cds)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b")


def url(session, path):
    """A URL for an object of `session`: pilot://<session id>/<path>."""
    return f"pilot://{session.id}/{path}"


def id_from_url(text, session, prefix):
    """The `prefix-<uuid>` id a URL of this session names (a unit's `sj-` id
    becomes its `cu-` id). URLs of another session are refused clearly."""
    if not isinstance(text, str):
        raise PilotError(f"the URL must be a string, got {type(text).__name__}")
    found = [match for match in _ID.findall(text)]
    wanted = [item for item in found if item.startswith(prefix + "-") or (prefix == "cu" and item.startswith("sj-"))]
    if not wanted:
        raise PilotError(f"'{text}' names no {prefix}-<uuid> object")
    if not text.startswith(f"pilot://{session.id}/"):
        raise PilotError(f"'{text}' belongs to another coordination session; reconnecting from another process "
                         "needs the standalone coordinator, which this build does not have yet")
    identifier = wanted[-1]
    return "cu-" + identifier[3:] if identifier.startswith("sj-") else identifier


def wait(wait_slice, timeout=None, on_interrupt=None):
    """Waits in slices of at most 0.25 s so that Ctrl-C is seen; the native
    wait sleeps inside each slice (no polling of state). On Ctrl-C,
    `on_interrupt` runs (it cancels) and the KeyboardInterrupt goes on."""
    deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
    try:
        while True:
            remaining = 0.25 if deadline is None else max(0.0, min(0.25, deadline - time.monotonic()))
            status = wait_slice(remaining)
            if status != _native.TIMEOUT or (deadline is not None and time.monotonic() >= deadline):
                _native.check(status)
                return
    except KeyboardInterrupt:
        if on_interrupt is not None:
            on_interrupt()
        raise
