"""The process's coordination session: one embedded coordinator, opened on
first use and closed at interpreter exit (which cancels every pilot, so
nothing is left running)."""

import atexit
import json
import threading

from . import _native
from ._native import ffi, lib


class Session:
    """A libpilot session handle. `coordination_url` goes to the core, which
    validates it (PILOT_COORDINATION_URL overrides it there)."""

    def __init__(self, coordination_url=None):
        options = json.dumps({"coordination_url": coordination_url}).encode()
        self.handle = _native.call_handle(lib.pilot_session_open, "pilot_session", options)
        self.id = _native.call_string(lib.pilot_session_id, self.handle)
        self.closed = False

    def close(self):
        if not self.closed:
            self.closed = True
            lib.pilot_session_close(self.handle)


_lock = threading.Lock()
_current = None


def current(coordination_url=None):
    """The process's session, opened on first use. A URL other than the
    embedded default is checked by the core even when the session exists."""
    global _current
    with _lock:
        if _current is None or _current.closed:
            _current = Session(coordination_url)
            atexit.register(_current.close)
        elif coordination_url not in (None, "embedded"):
            Session(coordination_url).close()
        return _current
