"""ComputeDataService: a queue of units run by the pilots of the
PilotComputeServices added to it. Late binding by default
(ComputeDataServiceDecentral); early binding with affinity labels in
ComputeDataServiceCentral. Any number of PCSs in either. What a service
is (its binding, its PCSs, whether it was cancelled) is the core's record,
so an object reopened by URL, in this process or another, sees the same."""

import json

from . import _native, api, handles, session
from ._native import ffi, lib
from .compute import ComputeUnit, PilotComputeService
from .data import DataUnit, PilotData, PilotDataService, _absolute_files
from .encoding import description_json
from .errors import PilotError
from .state import State

_BINDINGS = _native.enum_names("pilot_binding", "PILOT_BINDING_")


class ComputeDataService(api.ComputeDataService):
    """Late binding: a unit goes to whichever pilot has a free slot first.
    `cds_url` reconnects to a service (from another process too when the
    session is served)."""

    _binding = lib.PILOT_BINDING_LATE

    def __init__(self, cds_url=None):
        if cds_url is None:
            self._session = session.current()
            handle = _native.call_handle(lib.pilot_cds_create, "pilot_cds", self._session.handle, self._binding)
        else:
            self._session, identifier = handles.resolve(cds_url, "cds")
            handle = _native.call_handle(lib.pilot_session_find_cds, "pilot_cds", self._session.handle,
                                         identifier.encode())
        self._handle = handles.own(self, handle, lib.pilot_cds_release)
        self.id = _native.call_string(lib.pilot_cds_id, self._handle)

    def get_id(self):
        return self.id

    def get_url(self):
        return handles.url(self._session, self.id)

    def add_pilot_compute_service(self, pcs):
        """Lets the pilots of `pcs` (present and future) run this service's units."""
        if not isinstance(pcs, PilotComputeService):
            raise PilotError(f"add_pilot_compute_service takes a PilotComputeService, got {type(pcs).__name__}")
        _native.check(lib.pilot_cds_add_pcs(self._handle, pcs._handle))

    def remove_pilot_compute_service(self, pcs):
        """Detaches `pcs` (nothing happens if it was not added); its units
        already bound keep running."""
        if not isinstance(pcs, PilotComputeService):
            raise PilotError(f"remove_pilot_compute_service takes a PilotComputeService, got {type(pcs).__name__}")
        _native.check(lib.pilot_cds_remove_pcs(self._handle, pcs._handle))

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

    def _details(self):
        return json.loads(_native.call_string(lib.pilot_cds_details, self._handle))

    def list_pilot_compute_services(self):
        """The PilotComputeServices added to this service (and not removed), in order."""
        return [PilotComputeService._known(self._session, pcs_id) for pcs_id in self._details()["pilot_service_ids"]]

    def list_pilot_compute(self):
        """The pilots of every PCS added to this service."""
        return [pilot for pcs in self.list_pilot_compute_services() for pilot in pcs.list_pilots()]

    def list_compute_units(self):
        ids = json.loads(_native.call_string(lib.pilot_cds_list_units, self._handle))
        return [ComputeUnit._find(self._session, identifier) for identifier in ids]

    def get_state(self):
        """Canceled after cancel() or cancel_units() (from any process of a
        served session); Done when every unit is final; Running otherwise."""
        return self._state(self._details())

    def _state(self, details):
        if details["canceled"]:
            return State.Canceled
        status = lib.pilot_cds_wait(self._handle, 0)
        return State.Done if status == lib.PILOT_OK else State.Running

    def get_details(self):
        """id, state, binding ('late' or 'early') and the ids of the PCSs added."""
        details = self._details()
        return {"id": self.id, "state": self._state(details), "binding": _BINDINGS[details["binding"]],
                "pilot_compute_services": details["pilot_service_ids"]}

    def wait(self, timeout=None, progress=None):
        """Blocks (sleeping, not spinning) until every unit is final. On a
        terminal a progress line shows on stderr, elsewhere a summary after
        waits of a second or more (PILOT_PROGRESS=0, or progress=False:
        nothing); a function as `progress` gets a pilot.Progress four times
        a second instead. Ctrl-C cancels the units and re-raises. Raises
        PilotError if queued units are left with no live pilot."""
        handles.wait_with_progress(
            lambda seconds, display, interval, tick: lib.pilot_cds_wait_progress(
                self._handle, seconds, display, interval, tick, ffi.NULL),
            timeout, progress, self.cancel_units)

    def cancel_units(self):
        """Cancels this service's units and takes no more; its PCSs' pilots
        keep running (an extension: TROY's WorkUnitService.cancel)."""
        _native.check(lib.pilot_cds_cancel(self._handle))

    def cancel(self):
        """Cancels the units and then the pilots of the added PCSs (as BigJob did)."""
        self.cancel_units()
        for pcs in self.list_pilot_compute_services():
            pcs.cancel()

    def add_pilot_data_service(self, pds):
        """Data units submitted here go to the pilot data of `pds`."""
        _native.check(lib.pilot_cds_add_pds(self._handle, _data_service(pds)._handle))

    def remove_pilot_data_service(self, pds):
        _native.check(lib.pilot_cds_remove_pds(self._handle, _data_service(pds)._handle))

    def submit_data_unit(self, data_unit_description):
        """A new data unit on a pilot data of the added services (one whose
        affinity labels match its own, else the least used)."""
        text = description_json(_absolute_files(data_unit_description), "data unit description")
        return DataUnit._adopt(self._session, _native.call_handle(lib.pilot_cds_submit_data, "pilot_du", self._handle,
                                                                  text.encode()))

    def get_data_unit(self, du_id):
        return DataUnit._find(self._session, handles.resolve(du_id, "du")[1])

    def list_pilot_data_services(self):
        ids = json.loads(_native.call_string(lib.pilot_cds_list_pds, self._handle))
        return [PilotDataService._adopt(self._session, _native.call_handle(
            lib.pilot_session_find_pds, "pilot_pds", self._session.handle, identifier.encode())) for identifier in ids]

    def list_pilot_data(self):
        return [pilot_data for service in self.list_pilot_data_services() for pilot_data in service.list_pilots()]

    def list_data_units(self):
        ids = json.loads(_native.call_string(lib.pilot_cds_list_data_units, self._handle))
        return [DataUnit._find(self._session, identifier) for identifier in ids]

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


class DataUnitService(ComputeDataService):
    """BigJob's older name for the data half of the ComputeDataService."""


def _data_service(pds):
    if not isinstance(pds, PilotDataService):
        raise PilotError(f"expected a PilotDataService, got {type(pds).__name__}")
    return pds
