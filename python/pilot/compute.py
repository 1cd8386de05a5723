"""PilotComputeService, PilotCompute and ComputeUnit over libpilot."""

import json
import socket
import weakref

from . import _native, api, handles, session
from .callbacks import Callbacks
from ._native import ffi, lib
from .encoding import description_json
from .errors import PilotError

_services = weakref.WeakValueDictionary()


def _state_name(value):
    return ffi.string(lib.pilot_state_name(value)).decode()


class PilotComputeService(api.PilotComputeService):
    """A factory for pilots. `coordination_url` selects the coordinator
    (default: embedded, or PILOT_COORDINATION_URL); `pcs_url` reconnects to
    a service (from another process too when the session is served)."""

    def __init__(self, coordination_url=None, pcs_url=None):
        if pcs_url is not None:
            self._attach(*handles.resolve(pcs_url, "pcs"))
            return
        self._session = session.current(coordination_url)
        self._handle = handles.own(self, _native.call_handle(lib.pilot_pcs_create, "pilot_pcs", self._session.handle),
                                   lib.pilot_pcs_release)
        self.id = _native.call_string(lib.pilot_pcs_id, self._handle)
        _services[self.id] = self
        self.url = handles.url(self._session, self.id)

    @classmethod
    def _known(cls, owner_session, identifier):
        """The existing service `identifier` of `owner_session`."""
        service = cls.__new__(cls)
        service._attach(owner_session, identifier)
        return service

    def _attach(self, owner_session, identifier):
        """Becomes the existing service `identifier`, sharing the handle of a
        live object of this process for it."""
        self._session, self.id = owner_session, identifier
        existing = _services.get(identifier)
        if existing is not None and existing._session is owner_session:
            self._handle = existing._handle
            self._keep = existing
        else:
            handle = _native.call_handle(lib.pilot_session_find_pcs, "pilot_pcs", owner_session.handle, identifier.encode())
            self._handle = handles.own(self, handle, lib.pilot_pcs_release)
        self.url = handles.url(owner_session, identifier)

    def create_pilot(self, pilot_compute_description=None, **keywords):
        """Starts a pilot; returns a PilotCompute (Pending until its agent runs)."""
        description = pilot_compute_description if pilot_compute_description is not None else keywords
        text = description_json(description, "pilot compute description")
        handle = _native.call_handle(lib.pilot_pcs_create_pilot, "pilot_compute", self._handle, text.encode())
        return PilotCompute._adopt(self._session, handle)

    def list_pilots(self):
        """Every pilot created by this service."""
        ids = json.loads(_native.call_string(lib.pilot_pcs_list_pilots, self._handle))
        return [PilotCompute._find(self._session, identifier) for identifier in ids]

    def cancel(self):
        """Cancels every pilot; returns when nothing of them runs."""
        _native.check(lib.pilot_pcs_cancel(self._handle))

    def get_url(self):
        return self.url

    def __repr__(self):
        return f"<PilotComputeService {self.id}>"


class _Native:
    """A Python object owning one native handle of the process's session.
    Subclasses name their C functions; `_find` wraps an object known by id,
    `_known` one the core has just named (its handle is made on first use,
    so a bulk submission of a million units makes no handle at all)."""

    _ctype = _find_by_id = _read_id = _release = None

    @classmethod
    def _adopt(cls, owner_session, handle, owner=None):
        wrapper = cls.__new__(cls)
        wrapper._session = owner_session
        wrapper._native_handle = handles.own(wrapper, handle, cls._release)
        wrapper.id = _native.call_string(cls._read_id, handle)
        wrapper._owner = owner
        return wrapper

    @classmethod
    def _find(cls, owner_session, identifier):
        handle = _native.call_handle(cls._find_by_id, cls._ctype, owner_session.handle, identifier.encode())
        return cls._adopt(owner_session, handle)

    @classmethod
    def _known(cls, owner_session, identifier, owner=None):
        wrapper = cls.__new__(cls)
        wrapper._session = owner_session
        wrapper._native_handle = None
        wrapper.id = identifier
        wrapper._owner = owner
        return wrapper

    @property
    def _handle(self):
        if self._native_handle is None:
            handle = _native.call_handle(self._find_by_id, self._ctype, self._session.handle, self.id.encode())
            self._native_handle = handles.own(self, handle, self._release)
        return self._native_handle

    def _reconnect(self, url, prefix):
        found = self._find(*handles.resolve(url, prefix))
        self.__dict__.update(found.__dict__)
        self._keep = found  # the handle is released with the object that owns it


class PilotCompute(_Native, Callbacks, api.PilotCompute):
    """One pilot. `pilot_url` (from get_url) reconnects to it."""

    _ctype, _find_by_id = "pilot_compute", lib.pilot_session_find_pilot
    _read_id, _release = lib.pilot_compute_id, lib.pilot_compute_release

    def __init__(self, pilot_url=None):
        if pilot_url is None:
            raise PilotError("PilotCompute needs a pilot_url; create pilots with PilotComputeService.create_pilot")
        self._reconnect(pilot_url, "bj")

    def get_id(self):
        return self.id

    def get_url(self):
        """A URL that PilotCompute(pilot_url=...) reconnects with."""
        return handles.url(self._session, f"bigjob:{self.id}:{socket.gethostname()}")

    def get_state(self):
        return _state_name(_native.call_state(lib.pilot_compute_state, self._handle))

    def _details(self):
        return json.loads(_native.call_string(lib.pilot_compute_details, self._handle))

    def get_state_detail(self):
        """The resource manager's own state of the pilot's job (a batch
        system's PENDING, RUNNING, CANCELLED...); the state name where the
        resource manager has none (fork, ssh)."""
        details = self._details()
        return details.get("native_state") or details["state"]

    def get_details(self):
        """BigJob's detail keys, plus what the core knows."""
        details = self._details()
        return {
            "state": details["state"], "start_time": details["created"], "end_queue_time": details.get("started"),
            "end_time": details.get("finished"), "last_contact": details.get("last_contact"),
            "description": details["description"], "bigjob_id": details["id"], "reason": details.get("reason"),
            "sandbox": details["sandbox"], "service_url": details["service_url"], "slots": details["slots"],
            "free_slots": details["free_slots"], "native_id": details.get("native_id"),
            "native_state": details.get("native_state"), "host": details.get("host"),
            "wall_time_left": details.get("wall_time_left"),
        }

    def get_free_nodes(self):
        """Slots not held by bound units."""
        return self._details()["free_slots"]

    def list_compute_units(self):
        ids = json.loads(_native.call_string(lib.pilot_compute_list_units, self._handle))
        return [ComputeUnit._find(self._session, identifier) for identifier in ids]

    def submit_compute_unit(self, compute_unit_description):
        """Runs a unit on this pilot (BigJob's shell semantics unless `shell` is False)."""
        text = description_json(compute_unit_description, "compute unit description", shell=True)
        handle = _native.call_handle(lib.pilot_compute_submit, "pilot_unit", self._handle, text.encode())
        return ComputeUnit._adopt(self._session, handle, owner=self.id)

    def wait(self, timeout=None):
        """Until every unit of the pilot is final, or the pilot is. Ctrl-C cancels the pilot."""
        state = ffi.new("int *")
        handles.wait(lambda seconds: lib.pilot_compute_wait(self._handle, seconds, state), timeout, self.cancel)

    def cancel(self):
        """Cancels the pilot and its units; returns when nothing of it runs."""
        _native.check(lib.pilot_compute_cancel(self._handle))

    def __repr__(self):
        return f"<PilotCompute {self.id}>"


class ComputeUnit(_Native, Callbacks, api.ComputeUnit):
    """One compute unit. `cu_url` (from get_url) reconnects to it."""

    _ctype, _find_by_id = "pilot_unit", lib.pilot_session_find_unit
    _read_id, _release = lib.pilot_unit_id, lib.pilot_unit_release

    def __init__(self, cu_url=None):
        if cu_url is None:
            raise PilotError("ComputeUnit needs a cu_url; submit units with submit_compute_unit")
        self._reconnect(cu_url, "cu")

    def get_id(self):
        return self.id

    def get_url(self):
        """A URL that ComputeUnit(cu_url=...) reconnects with."""
        owner = self._owner or self._details().get("pilot_id") or "units"
        return handles.url(self._session, f"bigjob:{owner}:jobs:sj-{self.id[3:]}")

    def get_state(self):
        return _state_name(_native.call_state(lib.pilot_unit_state, self._handle))

    def _details(self):
        return json.loads(_native.call_string(lib.pilot_unit_details, self._handle))

    def get_details(self):
        """BigJob's detail keys: times are seconds since 1970 (start_time:
        submitted, agent_start_time: bound to a pilot, end_queue_time:
        process started, end_time: final)."""
        details = self._details()
        description = details["description"]
        return {
            "Executable": description.get("executable"), "Arguments": description.get("arguments", []),
            "NumberOfProcesses": str(description.get("number_of_processes", 1)),
            "SPMDVariation": description.get("spmd_variation", "single"),
            "Output": description.get("output", "stdout"), "Error": description.get("error", "stderr"),
            "WorkingDirectory": details.get("working_directory"), "state": details["state"],
            "job-id": "sj-" + details["id"][3:], "start_time": details["submitted"],
            "agent_start_time": details.get("bound"), "end_queue_time": details.get("started"),
            "run_host": details.get("host"), "end_time": details.get("finished"),
            "exit_code": details.get("exit_code"), "signal": details.get("signal"), "reason": details.get("reason"),
            "pilot_id": details.get("pilot_id"),
            "staging_input_seconds": details.get("staging_input_seconds"),
            "staging_output_seconds": details.get("staging_output_seconds"),
        }

    def get_local_working_directory(self):
        """The unit's real sandbox (None until it is bound to a pilot)."""
        return self._details().get("working_directory")

    def wait(self, timeout=None):
        """Until the unit is final; returns its state. Ctrl-C cancels the unit."""
        state = ffi.new("int *")
        handles.wait(lambda seconds: lib.pilot_unit_wait(self._handle, seconds, state), timeout, self.cancel)
        return _state_name(state[0])

    def cancel(self):
        """Stops the unit's whole process tree; it ends Canceled."""
        _native.check(lib.pilot_unit_cancel(self._handle))

    def __repr__(self):
        return f"<ComputeUnit {self.id}>"

