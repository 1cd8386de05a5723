"""The Pilot-API's abstract classes (BigJob's `pilot.api`), with the
descriptions, State, PilotError and Callback. `pilot` implements them."""

from abc import ABC, abstractmethod

from .description import ComputeUnitDescription, DataUnitDescription, PilotComputeDescription, PilotDataDescription
from .errors import PilotError
from .state import State


class PilotComputeService(ABC):
    """Creates pilots."""

    @abstractmethod
    def create_pilot(self, pilot_compute_description=None):
        """Starts a pilot."""

    @abstractmethod
    def list_pilots(self):
        """Its pilots."""

    @abstractmethod
    def cancel(self):
        """Cancels its pilots."""


class _Waitable(ABC):
    """Something that can be waited for and cancelled."""

    @abstractmethod
    def wait(self):
        """Until it (or its work) is final."""

    @abstractmethod
    def cancel(self):
        """Ends it."""


class PilotCompute(_Waitable):
    """A pilot."""

    @abstractmethod
    def get_state(self):
        """Its state."""

    @abstractmethod
    def get_url(self):
        """A URL that reconnects to it."""

    @abstractmethod
    def get_details(self):
        """What is known about it."""

    @abstractmethod
    def submit_compute_unit(self, compute_unit_description):
        """Runs a unit on it."""


class ComputeUnit(_Waitable):
    """A compute unit."""

    @abstractmethod
    def get_id(self):
        """Its id."""

    @abstractmethod
    def get_state(self):
        """Its state."""

    @abstractmethod
    def get_details(self):
        """What is known about it."""


class ComputeDataService(_Waitable):
    """Maps units onto the pilots of its services."""

    @abstractmethod
    def add_pilot_compute_service(self, pcs):
        """Adds pilots."""

    @abstractmethod
    def submit_compute_unit(self, compute_unit_description):
        """Queues a unit."""


class PilotDataService(ABC):
    """Creates pilot data stores."""


class PilotData(ABC):
    """A pilot data store."""


class DataUnit(ABC):
    """A set of files managed by pilot data."""


class DataUnitService(ABC):
    """BigJob's older name for the data half of the ComputeDataService."""


class ComputeUnitService(ABC):
    """BigJob's older name for the compute half of the ComputeDataService."""


class Callback:
    """Subclass and implement cb(self, obj, member, value); return True to
    stay registered, False to be removed."""

    def cb(self, obj, member, value):
        raise NotImplementedError("implement cb(self, obj, member, value) in your Callback subclass")


__all__ = [
    "PilotComputeService", "PilotCompute", "ComputeUnit", "ComputeDataService", "PilotDataService", "PilotData",
    "DataUnit", "DataUnitService", "ComputeUnitService", "PilotComputeDescription", "ComputeUnitDescription",
    "DataUnitDescription", "PilotDataDescription", "State", "PilotError", "Callback",
]
