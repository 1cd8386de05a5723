"""ComputeDataService: a queue of units run by the pilots of the
PilotComputeServices added to it. Late binding by default
(ComputeDataServiceDecentral); early binding with affinity labels in
ComputeDataServiceCentral. Any number of PCSs in either."""

import json
import weakref

from . import _native, api, handles, session
from ._native import ffi, lib
from .compute import ComputeUnit, PilotComputeService
from .encoding import description_json
from .errors import PilotError
from .state import State

_services = weakref.WeakValueDictionary()

DATA_UNAVAILABLE = "Pilot-Data (data units and pilot data services) is not available in this build yet"


class ComputeDataService(api.ComputeDataService):
    """Late binding: a unit goes to whichever pilot has a free slot first.
    `cds_url` reconnects to a service (from another process too when the
    session is served)."""

    _binding = lib.PILOT_BINDING_LATE

    def __init__(self, cds_url=None):
        self._pilot_services = []
        self._canceled = False
        if cds_url is not None:
            self._session, self.id = handles.resolve(cds_url, "cds")
            existing = _services.get(self.id)
            if existing is not None and existing._session is self._session:
                self.__dict__.update(existing.__dict__)
                self._keep = existing
                return
            handle = _native.call_handle(lib.pilot_session_find_cds, "pilot_cds", self._session.handle, self.id.encode())
            self._handle = handles.own(self, handle, lib.pilot_cds_release)
            return
        self._session = session.current()
        handle = _native.call_handle(lib.pilot_cds_create, "pilot_cds", self._session.handle, self._binding)
        self._handle = handles.own(self, handle, lib.pilot_cds_release)
        self.id = _native.call_string(lib.pilot_cds_id, self._handle)
        _services[self.id] = self

    def get_id(self):
        return self.id

    def get_url(self):
        return handles.url(self._session, self.id)

    def add_pilot_compute_service(self, pcs):
        """Lets the pilots of `pcs` (present and future) run this service's units."""
        if not isinstance(pcs, PilotComputeService):
            raise PilotError(f"add_pilot_compute_service takes a PilotComputeService, got {type(pcs).__name__}")
        _native.check(lib.pilot_cds_add_pcs(self._handle, pcs._handle))
        if pcs not in self._pilot_services:
            self._pilot_services.append(pcs)

    def remove_pilot_compute_service(self, pcs):
        """Detaches `pcs`; its units already bound keep running."""
        if pcs in self._pilot_services:
            _native.check(lib.pilot_cds_remove_pcs(self._handle, pcs._handle))
            self._pilot_services.remove(pcs)

    def submit_compute_unit(self, compute_unit_description):
        """Queues a unit (BigJob's shell semantics unless `shell` is False)."""
        text = description_json(compute_unit_description, "compute unit description", shell=True)
        handle = _native.call_handle(lib.pilot_cds_submit, "pilot_unit", self._handle, text.encode())
        return ComputeUnit._adopt(self._session, handle, owner=self.id)

    def submit_compute_units(self, compute_unit_descriptions):
        """Queues many units in one call (all validated first); returns them in order."""
        texts = [description_json(d, "compute unit description", shell=True) for d in compute_unit_descriptions]
        ids = json.loads(_native.call_string(lib.pilot_cds_submit_many, self._handle, ("[" + ",".join(texts) + "]").encode()))
        return [ComputeUnit._known(self._session, identifier, owner=self.id) for identifier in ids]

    def list_pilot_compute(self):
        """The pilots of every PCS added to this service."""
        return [pilot for pcs in self._pilot_services for pilot in pcs.list_pilots()]

    def list_compute_units(self):
        ids = json.loads(_native.call_string(lib.pilot_cds_list_units, self._handle))
        return [ComputeUnit._find(self._session, identifier) for identifier in ids]

    def get_state(self):
        """Canceled after cancel(); Done when every unit is final; Running otherwise."""
        if self._canceled:
            return State.Canceled
        status = lib.pilot_cds_wait(self._handle, 0)
        return State.Done if status == lib.PILOT_OK else State.Running

    def get_details(self):
        return {"id": self.id, "state": self.get_state(), "binding": "early" if self._binding else "late",
                "pilot_compute_services": [pcs.id for pcs in self._pilot_services]}

    def wait(self, timeout=None):
        """Blocks (sleeping, not spinning) until every unit is final. Ctrl-C
        cancels the units and re-raises. Raises PilotError if queued units
        are left with no live pilot."""
        handles.wait(lambda seconds: lib.pilot_cds_wait(self._handle, seconds), timeout, self._cancel_units)

    def _cancel_units(self):
        _native.check(lib.pilot_cds_cancel(self._handle))

    def cancel(self):
        """Cancels the units and then the pilots of the added PCSs (as BigJob did)."""
        self._canceled = True
        self._cancel_units()
        for pcs in self._pilot_services:
            pcs.cancel()

    # Pilot-Data belongs to a later build; these say so instead of pretending.
    def add_pilot_data_service(self, pds):
        raise PilotError(DATA_UNAVAILABLE)

    def remove_pilot_data_service(self, pds):
        raise PilotError(DATA_UNAVAILABLE)

    def submit_data_unit(self, data_unit_description):
        raise PilotError(DATA_UNAVAILABLE)

    def get_data_unit(self, du_id):
        raise PilotError(DATA_UNAVAILABLE)

    def list_pilot_data(self):
        return []

    def list_data_units(self):
        return []

    def __repr__(self):
        return f"<{type(self).__name__} {self.id}>"


class ComputeDataServiceDecentral(ComputeDataService):
    """The late-binding service under its BigJob name."""


class ComputeDataServiceCentral(ComputeDataService):
    """Early binding: each unit is placed at submission on the least loaded
    pilot whose affinity labels match its own."""

    _binding = lib.PILOT_BINDING_EARLY


class ComputeUnitService(ComputeDataService):
    """BigJob's older name for the compute half of the ComputeDataService."""


class _DataUnavailable:
    def __init__(self, *arguments, **keywords):
        raise PilotError(DATA_UNAVAILABLE)


class PilotDataService(_DataUnavailable, api.PilotDataService):
    """Not available in this build: constructing one raises PilotError."""


class PilotData(_DataUnavailable, api.PilotData):
    """Not available in this build: constructing one raises PilotError."""


class DataUnit(_DataUnavailable, api.DataUnit):
    """Not available in this build: constructing one raises PilotError."""


class DataUnitService(_DataUnavailable, api.DataUnitService):
    """Not available in this build: constructing one raises PilotError."""
