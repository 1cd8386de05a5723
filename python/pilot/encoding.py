"""Descriptions to the JSON the core reads, with the checks that JSON
itself would hide (non-string keys, objects JSON cannot carry)."""

import json

from .errors import PilotError


def _check(value, where):
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise PilotError(f"{where} has the key {key!r} of type {type(key).__name__}; keys must be strings")
            _check(item, f"{where}['{key}']")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        raise PilotError(f"{where} holds a {type(value).__name__}, which cannot be passed on; use strings, numbers, lists or dicts")


def description_json(description, kind, **defaults):
    """JSON text for `description` (a dict or description object).
    `defaults` fill keys the description does not set."""
    if not isinstance(description, dict):
        raise PilotError(f"{kind} must be a dict or {kind.title().replace(' ', '')}, got {type(description).__name__}")
    merged = dict(defaults)
    merged.update(description)
    environment = merged.get("environment")
    if isinstance(environment, dict):
        for key in environment:
            if not isinstance(key, str):
                raise PilotError(f"{kind} key 'environment' has the variable name {key!r}, which is not a string")
        merged["environment"] = {key: value if isinstance(value, (str, int, float, bool)) else str(value)
                                 for key, value in environment.items()}
    for key, value in merged.items():
        if not isinstance(key, str):
            raise PilotError(f"{kind} has the key {key!r} of type {type(key).__name__}; keys must be strings")
        _check(value, f"{kind} key '{key}'")
    return json.dumps(merged)
