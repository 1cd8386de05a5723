"""TROY, the 2011 pilot-job API, on the same core as `pilot`: a thin
mapping. States are integers; callbacks fire once per state change.

    import troy
    pjs = troy.PilotJobService()
    pj = pjs.create("fork://localhost", troy.PilotJobDescription(number_of_processes=2))
    wus = troy.WorkUnitService()
    wus.add(pjs)
    wu = wus.submit(troy.WorkUnitDescription(executable="/bin/date"))
"""

from .api import (
    PILOTJOB_TYPE, Callback, PilotJob, PilotJobDescription, PilotJobService, State, WorkUnit,
    WorkUnitDescription, WorkUnitService,
)
from pilot import PilotError

__all__ = [
    "State", "PILOTJOB_TYPE", "PilotJobDescription", "WorkUnitDescription", "PilotJobService", "PilotJob",
    "WorkUnitService", "WorkUnit", "Callback", "PilotError",
]
