"""State events from the core, delivered to Python callables.

The core calls one C callback per session on its own delivery thread, once
per state change and in order per object; cffi takes the GIL for it. No
library lock is held meanwhile, so handlers may call back into the API
(submit the next unit of a chain, cancel). A handler that raises is logged
with its traceback; delivery goes on.

    import pilot.events
    token = pilot.events.subscribe(lambda event: print(event.id, event.state))
    ...
    pilot.events.unsubscribe(token)
"""

import logging
import threading
from collections import namedtuple

from . import _native, session
from ._native import ffi, lib

Event = namedtuple("Event", "kind id state previous_state reason")
Event.__doc__ = "One state change: kind is 'pilot' or 'unit'; states are State names; reason may be None."

_log = logging.getLogger("pilot.events")
_lock = threading.Lock()  # guards _handlers; taken on the delivery thread
_subscribe_lock = threading.Lock()  # one native subscription per session
_handlers = {}
_next_token = 1
_subscribed_sessions = []
# The header's numbers, read through cffi: PILOT_OBJECT_PILOT is "pilot"; states by their contract names.
_KINDS = _native.enum_names("pilot_object_kind", "PILOT_OBJECT_")
_NAMES = {number: ffi.string(lib.pilot_state_name(number)).decode() for number in ffi.typeof("pilot_state").elements}


def _name(state):
    return _NAMES.get(state, "Unknown")


@ffi.callback("pilot_event_fn")
def _deliver(user_data, kind, identifier, state, previous, reason):
    event = Event(_KINDS.get(kind, "unknown"), ffi.string(identifier).decode(), _name(state), _name(previous),
                  ffi.string(reason).decode() if reason != ffi.NULL else None)
    with _lock:
        handlers = list(_handlers.values())
    for handler in handlers:
        try:
            handler(event)
        except Exception:
            _log.exception("a pilot event handler raised; delivery goes on")


def _subscribe_session(opened):
    with _subscribe_lock:
        if opened.closed or any(item is opened for item in _subscribed_sessions):
            return
        out = ffi.new("uint64_t *")
        _native.check(lib.pilot_session_subscribe(opened.handle, _deliver, ffi.NULL, out))
        _subscribed_sessions.append(opened)


def _session_opened(opened):
    with _lock:
        wanted = bool(_handlers)
    if wanted:
        _subscribe_session(opened)


session.when_opened(_session_opened)


def subscribe(handler):
    """Calls `handler(event)` for every later state change of every pilot and
    unit of this process's sessions; returns a token for unsubscribe()."""
    global _next_token
    if not callable(handler):
        raise TypeError("subscribe takes a callable handler(event)")
    with _lock:
        token = _next_token
        _next_token += 1
        _handlers[token] = handler
    session.current()
    for opened in session.opened():
        _subscribe_session(opened)
    return token


def unsubscribe(token):
    """Stops calling the handler of `token`; False if it was not subscribed."""
    with _lock:
        return _handlers.pop(token, None) is not None
