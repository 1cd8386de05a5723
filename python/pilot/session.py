"""The process's coordination sessions. The default one is opened on first
use: embedded (a coordinator inside this process), or the standalone
coordinator that PILOT_COORDINATION_URL names. Objects of another session
of `pilotctl serve` are reached through their URL, which opens a session
on that coordinator. All are closed at interpreter exit: an embedded one
cancels its pilots (nothing is left running); a served one only
disconnects, so other processes can go on with its pilots and units."""

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
        out = ffi.new("char **")
        _native.check(lib.pilot_session_coordination_url(self.handle, out))
        self.url = _native.take_string(out[0]) if out[0] != ffi.NULL else None
        self.closed = False

    @property
    def connected(self):
        """False once the link to a served coordinator is lost."""
        out = ffi.new("int *")
        _native.check(lib.pilot_session_connected(self.handle, out))
        return out[0] == 1

    def usable(self):
        """Open and connected: a session worth handing out again."""
        return not self.closed and self.connected

    def close(self):
        if not self.closed:
            self.closed = True
            lib.pilot_session_close(self.handle)


_lock = threading.Lock()
_default = None
_served = {}  # coordination URL -> Session, for sessions reached by URL
_opened_hooks = []  # called with each new session (event subscriptions)


def _open(coordination_url):
    opened = Session(coordination_url)
    atexit.register(opened.close)
    if opened.url is not None and not (opened.url in _served and _served[opened.url].usable()):
        _served[opened.url] = opened
    for hook in _opened_hooks:
        hook(opened)
    return opened


def current(coordination_url=None):
    """The session for `coordination_url`: the process's default one for
    None (or when the URL is the one it uses), else a session on that URL.
    A URL other than the default is checked by the core."""
    global _default
    with _lock:
        if coordination_url in (None, "embedded") or (_default is not None and _default.usable()
                                                      and coordination_url == _default.url):
            if _default is None or not _default.usable():
                _default = _open(None if coordination_url == "embedded" else coordination_url)
            return _default
        existing = _served.get(coordination_url)
        if existing is not None and existing.usable():
            return existing
        opened = _open(coordination_url)
        if opened.url is None:  # the core chose the embedded coordinator (PILOT_COORDINATION_URL=embedded)
            opened.close()
            if _default is None or _default.closed:
                _default = _open(None)
            return _default
        if _default is None or not _default.usable():
            _default = opened
        return opened


def opened():
    """Every session opened so far that is not closed."""
    with _lock:
        sessions = [] if _default is None else [_default]
        sessions += [item for item in _served.values() if item is not _default]
        return [item for item in sessions if not item.closed]


def when_opened(hook):
    """Calls `hook(session)` for every session opened from now on."""
    with _lock:
        _opened_hooks.append(hook)
