"""Pilot-Data (BigJob's API): PilotDataService, PilotData and DataUnit.
Each is the core's record (the C functions pilot_pds_*, pilot_data_*,
pilot_du_*): files move in the core, which journals a served session's data
so that URLs resolve from other processes and after a restart."""

import json
import os

from . import _native, api, handles, session
from ._native import ffi, lib
from .encoding import description_json
from .errors import PilotError


def _state_name(value):
    return ffi.string(lib.pilot_state_name(value)).decode()


class _DataObject:
    """What the three share: a handle, an id, a URL, details and cancel."""

    _ctype = _find_by_id = _read_id = _release = _details_function = _cancel_function = None
    _prefix = ""

    def _open(self, url):
        self._session, identifier = handles.resolve(url, self._prefix)
        self._own(_native.call_handle(type(self)._find_by_id, self._ctype, self._session.handle, identifier.encode()))

    def _own(self, handle):
        self._handle = handles.own(self, handle, type(self)._release)
        self.id = _native.call_string(type(self)._read_id, handle)

    @classmethod
    def _adopt(cls, owner_session, handle):
        wrapper = cls.__new__(cls)
        wrapper._session = owner_session
        wrapper._own(handle)
        return wrapper

    @classmethod
    def _find(cls, owner_session, identifier):
        return cls._adopt(owner_session, _native.call_handle(cls._find_by_id, cls._ctype, owner_session.handle,
                                                             identifier.encode()))

    def get_id(self):
        return self.id

    def get_url(self):
        """A URL that reconnects to this object (from another process when the session is served)."""
        return handles.url(self._session, self.id)

    def get_details(self):
        """id, state, reason, url, service_id, pilot_data, data_units, files and description."""
        return json.loads(_native.call_string(type(self)._details_function, self._handle))

    def get_state(self):
        return self.get_details()["state"]

    def cancel(self):
        _native.check(type(self)._cancel_function(self._handle))

    def __repr__(self):
        return f"<{type(self).__name__} {self.id}>"


class DataUnit(_DataObject, api.DataUnit):
    """A named set of files with replicas on pilot data. `du_url`
    reconnects. New, Pending (files moving in), Running (all in place),
    Failed (the reason says which file, which host and why) or Canceled."""

    _ctype, _prefix = "pilot_du", "du"
    _find_by_id, _read_id, _release = lib.pilot_session_find_du, lib.pilot_du_id, lib.pilot_du_release
    _details_function, _cancel_function = lib.pilot_du_details, lib.pilot_du_cancel

    def __init__(self, du_url=None):
        if du_url is None:
            raise PilotError("DataUnit(du_url=...) reconnects to a data unit; make one with "
                             "PilotData.submit_data_unit or ComputeDataService.submit_data_unit")
        self._open(du_url)

    def wait(self, timeout=None):
        """Until its files are in place (Running) or it failed; returns the state."""
        state = ffi.new("int *")
        handles.wait(lambda seconds: lib.pilot_du_wait(self._handle, seconds, state), timeout)
        return _state_name(state[0])

    def add_files(self, file_url_list=()):
        """Copies files (paths, file:// or ssh:// URLs) into every replica; returns once they are in."""
        urls = [os.path.abspath(url) if "://" not in url else url for url in _strings(file_url_list, "add_files")]
        _native.check(lib.pilot_du_add_files(self._handle, json.dumps(urls).encode()))

    def remove_files(self, file_url_list=()):
        """Removes files (by name, or a URL ending in the name) from every replica."""
        names = [url.rstrip("/").rsplit("/", 1)[-1] for url in _strings(file_url_list, "remove_files")]
        _native.check(lib.pilot_du_remove_files(self._handle, json.dumps(names).encode()))

    def list(self):
        """{file name: its URL in the first replica}, as the files are now."""
        names = json.loads(_native.call_string(lib.pilot_du_list, self._handle))
        place = self.get_details()["url"]
        return {name: f"{place}/{name}" for name in names}

    def list_pilot_data(self):
        """The pilot data holding complete replicas, the first is where units' outputs go."""
        return [PilotData._find(self._session, identifier) for identifier in self.get_details()["pilot_data"]]

    def add_pilot_data(self, pilot_data):
        """Copies this data unit to `pilot_data` as another replica (in the background; wait() for it)."""
        pilot_data.submit_data_unit(data_unit=self)

    def export(self, target_directory):
        """Copies its files into `target_directory` on this host (made if missing)."""
        _native.check(lib.pilot_du_export(self._handle, os.path.abspath(target_directory).encode()))


class PilotData(_DataObject, api.PilotData):
    """A storage place (a directory on this host or, over ssh, another)
    holding data units. `pd_url` reconnects."""

    _ctype, _prefix = "pilot_data", "pd"
    _find_by_id, _read_id, _release = lib.pilot_session_find_pilot_data, lib.pilot_data_id, lib.pilot_data_release
    _details_function, _cancel_function = lib.pilot_data_details, lib.pilot_data_cancel

    def __init__(self, pd_url=None):
        if pd_url is None:
            raise PilotError("PilotData(pd_url=...) reconnects to a pilot data; make one with PilotDataService.create_pilot")
        self._open(pd_url)

    def submit_data_unit(self, data_unit_description=None, data_unit=None):
        """A new data unit from a description, or, given `data_unit`, a
        replica of it here. Files move in the background: wait() on the data unit."""
        if data_unit is not None:
            if not isinstance(data_unit, DataUnit):
                raise PilotError(f"data_unit must be a DataUnit, got {type(data_unit).__name__}")
            _native.check(lib.pilot_data_replicate(self._handle, data_unit._handle))
            return data_unit
        if data_unit_description is None:
            raise PilotError("submit_data_unit needs a data_unit_description or a data_unit to replicate")
        text = description_json(_absolute_files(data_unit_description), "data unit description")
        return DataUnit._adopt(self._session, _native.call_handle(lib.pilot_data_submit, "pilot_du", self._handle, text.encode()))

    def list_data_units(self):
        return [DataUnit._find(self._session, identifier) for identifier in self.get_details()["data_units"]]

    def get_du(self, du_url):
        return DataUnit(du_url)

    def wait(self, timeout=None):
        """Until every data unit here has settled."""
        for unit in self.list_data_units():
            unit.wait(timeout)


class PilotDataService(_DataObject, api.PilotDataService):
    """Creates pilot data. `pds_url` reconnects."""

    _ctype, _prefix = "pilot_pds", "pds"
    _find_by_id, _read_id, _release = lib.pilot_session_find_pds, lib.pilot_pds_id, lib.pilot_pds_release
    _details_function, _cancel_function = lib.pilot_pds_details, lib.pilot_pds_cancel

    def __init__(self, coordination_url=None, pds_url=None):
        if pds_url is not None:
            self._open(pds_url)
            return
        self._session = session.current(coordination_url)
        self._own(_native.call_handle(lib.pilot_pds_create, "pilot_pds", self._session.handle))

    def create_pilot(self, pilot_data_description=None, **keywords):
        """A new pilot data; its directory is made now (an unusable place raises PilotError)."""
        description = pilot_data_description if pilot_data_description is not None else keywords
        text = description_json(description, "pilot data description")
        return PilotData._adopt(self._session, _native.call_handle(lib.pilot_pds_create_pilot_data, "pilot_data",
                                                                   self._handle, text.encode()))

    def list_pilots(self):
        return [PilotData._find(self._session, identifier) for identifier in self.get_details()["pilot_data"]]

    def get_pilot(self, pd_id):
        return PilotData._find(self._session, handles.resolve(pd_id, "pd")[1])

    def wait(self):
        for pilot_data in self.list_pilots():
            pilot_data.wait()


def _strings(values, what):
    if isinstance(values, str) or not all(isinstance(value, str) for value in values):
        raise PilotError(f"{what} takes a list of strings")
    return list(values)


def _absolute_files(description):
    """A data unit description whose local file_urls are absolute (the
    core, which may run elsewhere, takes only absolute paths and URLs)."""
    if not isinstance(description, dict) or not isinstance(description.get("file_urls"), list):
        return description
    fixed = dict(description)
    fixed["file_urls"] = [os.path.abspath(url) if isinstance(url, str) and "://" not in url else url
                          for url in description["file_urls"]]
    return fixed
