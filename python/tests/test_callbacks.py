"""The callback dispatcher's memory: bounded per object and across objects,
however many objects and events go through it. Events are fed straight to
a dispatcher of the test's own, in order, as the library's thread would."""

import tracemalloc

from pilot import callbacks
from pilot.events import Event

LIFE = ("New", "Pending", "Running", "Done")


def life(object_id, states=LIFE):
    previous = "Unknown"
    for state in states:
        yield Event("unit", object_id, state, previous, None)
        previous = state


def registration(object_id, seen, current="New"):
    """A callback recording (object, value), registered as set_callback does."""
    current_event = Event("object", object_id, current, "Unknown", None)
    return callbacks._Registration(object_id, "state", lambda owner, member, value: seen.append((owner, value)),
                                   lambda event: event.state, current_event)


def run_lives(dispatcher, first, count):
    for index in range(first, first + count):
        for event in life(f"cu-{index}"):
            dispatcher._handle(event)


def test_history_is_bounded_per_object_and_across_finished_objects():
    dispatcher = callbacks._Dispatcher()
    restarting = [Event("unit", "cu-restarting", state, "Unknown", None)
                  for _ in range(10_000) for state in ("New", "Pending", "Running")]
    for event in restarting:
        dispatcher._handle(event)
    run_lives(dispatcher, 0, 3 * callbacks.FINISHED_OBJECTS_KEPT)
    live = [Event("unit", f"cu-live-{index}", "New", "Unknown", None) for index in range(100)]
    for event in live:
        dispatcher._handle(event)

    assert list(dispatcher._history["cu-restarting"]) == restarting[-callbacks.HISTORY_PER_OBJECT:]
    kept = [f"cu-{index}" for index in range(2 * callbacks.FINISHED_OBJECTS_KEPT, 3 * callbacks.FINISHED_OBJECTS_KEPT)]
    assert list(dispatcher._finished) == kept, "the objects that ended last"
    assert set(dispatcher._history) == {"cu-restarting"} | set(kept) | {event.id for event in live}
    assert [event.state for event in dispatcher._history[kept[0]]] == list(LIFE)


def test_memory_stays_flat_with_many_objects_and_events():
    dispatcher = callbacks._Dispatcher()
    tracemalloc.start()
    try:
        run_lives(dispatcher, 0, 2 * callbacks.FINISHED_OBJECTS_KEPT)
        kept, _ = tracemalloc.get_traced_memory()
        run_lives(dispatcher, 2 * callbacks.FINISHED_OBJECTS_KEPT, 50_000)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(dispatcher._history) == callbacks.FINISHED_OBJECTS_KEPT
    assert kept < 8 * 1024 * 1024, f"the kept histories take {kept} bytes"
    assert after - kept < 64 * 1024, f"50,000 more objects grew memory from {kept} by {after - kept} bytes"


def test_callbacks_get_the_kept_history_or_the_current_state_and_are_dropped_at_the_end():
    dispatcher = callbacks._Dispatcher()
    run_lives(dispatcher, 0, 1)
    seen = []
    dispatcher._handle(("register", "cu-0", registration("cu-0", seen, current="Done")))
    assert seen == [("cu-0", state) for state in LIFE], "an ended object's kept changes"
    assert dispatcher._registrations == {}, "nothing follows Done: the callback is not kept"

    run_lives(dispatcher, 1, callbacks.FINISHED_OBJECTS_KEPT)
    assert "cu-0" not in dispatcher._history
    forgotten = []
    dispatcher._handle(("register", "cu-0", registration("cu-0", forgotten, current="Done")))
    assert forgotten == [("cu-0", "Done")], "a forgotten object's current state"

    running = []
    events = list(life("cu-new"))
    for event in events[:2]:
        dispatcher._handle(event)
    dispatcher._handle(("register", "cu-new", registration("cu-new", running)))
    assert list(dispatcher._registrations) == ["cu-new"]
    for event in events[2:]:
        dispatcher._handle(event)
    assert running == [("cu-new", state) for state in LIFE]
    assert dispatcher._registrations == {}, "dropped once given Done"
