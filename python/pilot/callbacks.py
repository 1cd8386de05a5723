"""Per-object callbacks (`set_callback(member, cb)`), shared by pilot and TROY.

Core events arrive on the library's delivery thread (pilot.events) and are
forwarded, in order, to one Python dispatcher thread, which keeps each
object's last HISTORY_PER_OBJECT events. Registering a callback goes
through the same ordered stream: when the dispatcher reaches it, the
callback is first given the object's changes so far (or, if none were
recorded, its current value), then every later change, once each. So a
callback set right after submit() still sees New, and none is lost or
doubled, whichever thread registers it. TROY's services start the
dispatcher when they are created, so the history of every work unit is
complete.

Memory stays bounded however many objects a process runs: an object's
history holds its last HISTORY_PER_OBJECT changes (a whole life, New to an
end, with room for a restart), and of the objects in a final state only
the FINISHED_OBJECTS_KEPT that ended last keep theirs; a callback set on
one ended before gets its current (final) state. Nothing follows a final
state, so an object's callbacks are dropped once they have been given it.

A callback is a `Callback` (its `cb(obj, member, value)` is called) or any
callable taking `(obj, member, value)`. Returning False unregisters it; an
exception is logged with its traceback and delivery goes on. Callbacks run
on the dispatcher thread and may call back into the API.
"""

import logging
import queue
import threading
from collections import OrderedDict, deque

from . import events
from .state import State

MEMBERS = ("state", "state_detail")

HISTORY_PER_OBJECT = 8
"""Changes kept per object for callbacks set later."""

FINISHED_OBJECTS_KEPT = 4096
"""Objects in a final state whose changes are kept (those that ended last)."""

_log = logging.getLogger("pilot.callbacks")


class _Registration:
    """One callback on one object: `translate` maps a core event to the
    member's value (None: no value for this member)."""

    def __init__(self, owner, member, callback, translate, current):
        self.owner = owner
        self.current = current
        self.member = member
        self.callback = callback
        self.translate = translate
        self.last = None
        self.active = True


class _Dispatcher:
    def __init__(self):
        self._queue = queue.SimpleQueue()
        # The dispatcher thread's alone:
        self._registrations = {}  # object id -> list of registrations
        self._history = {}  # object id -> deque of its last events
        self._finished = OrderedDict()  # ids of final objects whose history is kept, oldest end first
        self._started = False
        self._lock = threading.Lock()

    def start(self):
        """Starts receiving events (idempotent); objects created afterwards have a full history."""
        with self._lock:
            if self._started:
                return
            self._started = True
        events.subscribe(self._queue.put)
        threading.Thread(target=self._run, name="pilot-callbacks", daemon=True).start()

    def register(self, object_id, registration):
        self.start()
        self._queue.put(("register", object_id, registration))

    def unregister(self, object_id, owner, member):
        self._queue.put(("unregister", object_id, (owner, member)))

    def _run(self):
        while True:
            self._handle(self._queue.get())

    def _handle(self, item):
        """Dispatches one item of the stream: an event, a registration or an unregistration."""
        if isinstance(item, events.Event):
            self._record(item)
            for registration in list(self._registrations.get(item.id, ())):
                self._call(item.id, registration, item)
            if item.state in State.FINAL:
                self._registrations.pop(item.id, None)
        elif item[0] == "register":
            _, object_id, registration = item
            past = list(self._history.get(object_id) or [registration.current])
            for event in past:
                self._call(object_id, registration, event)
            if registration.active and past[-1].state not in State.FINAL:
                self._registrations.setdefault(object_id, []).append(registration)
        else:
            _, object_id, (owner, member) = item
            for registration in self._registrations.get(object_id, ()):
                if registration.owner is owner and registration.member == member:
                    registration.active = False
            self._prune(object_id)

    def _record(self, event):
        """Keeps `event` in its object's history, forgetting what the bounds say to."""
        history = self._history.get(event.id)
        if history is None:
            history = self._history[event.id] = deque(maxlen=HISTORY_PER_OBJECT)
        history.append(event)
        if event.state in State.FINAL:
            self._finished[event.id] = None
            if len(self._finished) > FINISHED_OBJECTS_KEPT:
                forgotten, _ = self._finished.popitem(last=False)
                del self._history[forgotten]

    def _call(self, object_id, registration, event):
        if not registration.active:
            return
        value = registration.translate(event)
        if value is None or value == registration.last:
            return
        registration.last = value
        target = registration.callback
        function = getattr(target, "cb", target)
        try:
            keep = function(registration.owner, registration.member, value)
        except Exception:
            _log.exception("a %s callback raised; delivery goes on", registration.member)
            return
        if keep is False:
            registration.active = False
            self._prune(object_id)

    def _prune(self, object_id):
        remaining = [r for r in self._registrations.get(object_id, ()) if r.active]
        if remaining:
            self._registrations[object_id] = remaining
        else:
            self._registrations.pop(object_id, None)


_dispatcher = _Dispatcher()
start = _dispatcher.start


def core_value(member, event):
    """pilot's values: the state name for 'state' and for 'state_detail'."""
    return event.state


class Callbacks:
    """Mixin: `set_callback`, `unset_callback` and their aliases, for an
    object with an `id`. `_translate(member, event)` gives the member's value."""

    def _translate(self, member, event):
        return core_value(member, event)

    def set_callback(self, member, cb):
        """Calls `cb` with (self, member, value) on every change of `member`
        ('state' or 'state_detail'), starting with its current value."""
        if member not in MEMBERS:
            from .errors import PilotError
            raise PilotError(f"callback member '{member}' is unknown; use 'state' or 'state_detail'")
        if not callable(getattr(cb, "cb", cb)):
            from .errors import PilotError
            raise PilotError("a callback must be a Callback (with a cb method) or a callable")
        current = events.Event("object", self._callback_id(), self._current_state(), "Unknown", None)
        registration = _Registration(self, member, cb, lambda event: self._translate(member, event), current)
        self.__dict__.setdefault("_callbacks", {})[member] = cb
        _dispatcher.register(self._callback_id(), registration)

    def unset_callback(self, member):
        """Stops calling the callbacks of `member` on this object."""
        self.__dict__.setdefault("_callbacks", {}).pop(member, None)
        _dispatcher.unregister(self._callback_id(), self, member)

    add_callback = set_callback
    remove_callback = unset_callback

    @property
    def callback(self):
        """The callbacks set on this object, by member."""
        return dict(self.__dict__.get("_callbacks", {}))

    def _callback_id(self):
        return self.id

    def _current_state(self):
        """The core state name now (subclasses with their own `state` override this)."""
        return self.get_state()
