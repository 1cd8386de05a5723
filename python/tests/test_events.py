"""Events from the core's own thread reach Python handlers safely: with
the GIL, in order per unit, while the main thread waits in native code;
handlers may submit units; a raising handler does not stop delivery."""

import collections
import logging
import threading

import pilot
import pilot.events


def test_events_arrive_in_order_on_the_library_thread(tmp_path, pilot_service):
    pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                "working_directory": str(tmp_path)})
    service = pilot.ComputeDataService()
    service.add_pilot_compute_service(pilot_service)
    seen = collections.defaultdict(list)
    threads = set()
    done = threading.Event()

    def record(event):
        if event.kind == "unit":
            seen[event.id].append((event.previous_state, event.state))
            threads.add(threading.get_ident())
            if sum(len(states) for states in seen.values()) == 400:
                done.set()

    token = pilot.events.subscribe(record)
    units = [service.submit_compute_unit({"executable": "/bin/true"}) for _ in range(100)]
    service.wait()
    assert done.wait(10)
    assert pilot.events.unsubscribe(token)
    assert threading.get_ident() not in threads and len(threads) == 1
    for unit in units:
        assert seen[unit.id] == [("Unknown", "New"), ("New", "Pending"), ("Pending", "Running"), ("Running", "Done")]


def test_handlers_chain_units_and_survive_exceptions(tmp_path, pilot_service, caplog):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                           "working_directory": str(tmp_path)})
    firsts = {}
    seconds = []
    finished = threading.Event()

    def broken(event):
        raise RuntimeError("a handler that always fails")

    def chain(event):
        if event.kind == "unit" and event.state == "Done" and event.id in firsts:
            path = firsts.pop(event.id) + "/stdout"
            seconds.append(pilotjob.submit_compute_unit({"executable": "/bin/cat", "arguments": [path]}))
            if len(seconds) == 5:
                finished.set()

    tokens = [pilot.events.subscribe(broken), pilot.events.subscribe(chain)]
    with caplog.at_level(logging.ERROR, logger="pilot.events"):
        for index in range(5):
            # The sleep lets this thread record the id before the unit can be Done.
            unit = pilotjob.submit_compute_unit({"executable": "/bin/sh", "shell": False,
                                                 "arguments": ["-c", f"sleep 0.5; echo first {index}"]})
            firsts[unit.id] = f"{tmp_path}/{pilotjob.get_details()['bigjob_id']}/sj-{unit.id[3:]}"
        assert finished.wait(20)
        pilotjob.wait()
    for token in tokens:
        pilot.events.unsubscribe(token)
    outputs = sorted(open(unit.get_local_working_directory() + "/stdout").read() for unit in seconds)
    assert outputs == [f"first {index}\n" for index in range(5)]
    assert "a handler that always fails" in caplog.text


def test_pilot_objects_take_callbacks_too(tmp_path, pilot_service):
    pilotjob = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1,
                                           "working_directory": str(tmp_path)})
    seen = []
    done = threading.Event()

    class Watch(pilot.api.Callback):
        def cb(self, obj, member, value):
            seen.append((obj.id, member, value))
            if value == "Done":
                done.set()
            return True

    unit = pilotjob.submit_compute_unit({"executable": "/bin/sleep", "arguments": ["0.2"]})
    unit.set_callback("state", Watch())
    assert done.wait(10)
    assert seen[-1] == (unit.id, "state", "Done")
    assert [value for _, _, value in seen][-2:] == ["Running", "Done"]
    assert unit.callback["state"].__class__ is Watch
    unit.unset_callback("state")
