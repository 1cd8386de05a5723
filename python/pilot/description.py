"""Descriptions: dicts whose keys read and write as attributes."""


class AttributeDict(dict):
    """A dict where `d.key` is `d["key"]`; a missing key raises AttributeError
    (so `hasattr` works). Unknown keys are kept and passed on."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value

    def __delattr__(self, name):
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None


class SagaDescription(AttributeDict):
    """A SAGA-style attribute bag: the attributes named in `_KNOWN` read as
    None until set; any other attribute may be set too."""

    _KNOWN = ()

    def __getattr__(self, name):
        if name in self:
            return self[name]
        if name in self._KNOWN:
            return None
        raise AttributeError(name)


def given(description):
    """The attributes of a description (a dict, SAGA-style or not) that are
    set, that is, not None: what goes to the core."""
    return {key: value for key, value in description.items() if value is not None}


class PilotComputeDescription(AttributeDict):
    """Describes a pilot: service_url, number_of_processes, working_directory, walltime, ..."""


class ComputeUnitDescription(AttributeDict):
    """Describes a compute unit: executable, arguments, environment, output, ..."""


class DataUnitDescription(AttributeDict):
    """Describes a data unit: file_urls and affinity labels."""


class PilotDataDescription(AttributeDict):
    """Describes a pilot data store: service_url, size, affinity labels."""
