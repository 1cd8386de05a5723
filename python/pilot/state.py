"""State names of the Pilot-API."""


class State:
    """The states pilots and units report (strings, as in BigJob)."""

    Unknown = "Unknown"
    New = "New"
    Pending = "Pending"
    Staging = "Staging"
    Running = "Running"
    Done = "Done"
    Canceled = "Canceled"
    Failed = "Failed"

    FINAL = frozenset((Done, Canceled, Failed))
