"""Descriptions to the JSON the core reads, with the checks that JSON
itself would hide (non-string keys, objects JSON cannot carry) and the
core's nesting limit, checked before anything walks the description."""

import json
import math

from .errors import PilotError, quoted

# The most levels of dicts and lists a description may nest, the description
# itself counting as one: the core's JSON parser (JSONParser.maximumDepth in
# Sources/PilotModel/JSONParser.swift) refuses deeper texts.
MAX_NESTING = 100

_SCALARS = (str, int, float, bool)
_CONTAINERS = (dict, list, tuple)


def _where(path):
    """Where a value is, for a message: the description's kind, then its key
    and the indexes below it (only the two ends of a long path)."""
    kind, *steps = path
    if len(steps) > 6:
        steps = steps[:3] + ["…"] + steps[-2:]
    return " ".join([kind, "".join(steps)]) if steps else kind


def _check(value, path, depth, ancestors, strict=True):
    """Checks `value`, found at `path` inside a description, `depth` levels
    of dicts and lists deep: nested no deeper than MAX_NESTING and free of
    cycles; when `strict`, also string keys and only values JSON can carry.
    Recursion is bounded by MAX_NESTING, so no RecursionError escapes."""
    if isinstance(value, _CONTAINERS):
        if depth > MAX_NESTING:
            under = f" (under {path[1]})" if len(path) > 1 else ""
            raise PilotError(f"{path[0]} is nested too deeply: more than {MAX_NESTING} levels of dicts and lists{under}; "
                             f"flatten it to at most {MAX_NESTING} levels")
        if any(value is ancestor for ancestor in ancestors):
            raise PilotError(f"{_where(path)} contains itself; a description must be a tree of dicts and lists")
        ancestors.append(value)
        if isinstance(value, dict):
            for key, item in value.items():
                if strict and not isinstance(key, str):
                    raise PilotError(f"{_where(path)} has the key {quoted(key)} of type {type(key).__name__}; keys must be strings")
                _check(item, path + [f"[{quoted(key)}]"], depth + 1, ancestors, strict)
        else:
            for index, item in enumerate(value):
                _check(item, path + [f"[{index}]"], depth + 1, ancestors, strict)
        ancestors.pop()
    elif strict and value is not None and not isinstance(value, _SCALARS):
        raise PilotError(f"{_where(path)} holds a {type(value).__name__}, which cannot be passed on; "
                         "use strings, numbers, lists or dicts")
    elif strict and isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN or infinity: json.dumps would write text the core cannot read.
        raise PilotError(f"{_where(path)} is {value}; give a finite number")


def _environment(environment, kind):
    """The environment with every value JSON can carry: names must be
    strings; other values become their text (BigJob's str())."""
    converted = {}
    for name, value in environment.items():
        if not isinstance(name, str):
            raise PilotError(f"{kind} key 'environment' has the variable name {quoted(name)}, which is not a string")
        if not isinstance(value, _SCALARS):
            _check(value, [kind, "key 'environment'", f"[{quoted(name)}]"], 3, [], strict=False)
            value = str(value)
        converted[name] = value
    return converted


def description_json(description, kind, **defaults):
    """JSON text for `description` (a dict or description object).
    `defaults` fill keys the description does not set."""
    if not isinstance(description, dict):
        raise PilotError(f"{kind} must be a dict or {kind.title().replace(' ', '')}, got {type(description).__name__}")
    merged = dict(defaults)
    merged.update(description)
    environment = merged.get("environment")
    if isinstance(environment, dict):
        merged["environment"] = _environment(environment, kind)
    for key, value in merged.items():
        if not isinstance(key, str):
            raise PilotError(f"{kind} has the key {quoted(key)} of type {type(key).__name__}; keys must be strings")
        _check(value, [kind, f"key {quoted(key)}"], 2, [])
    return json.dumps(merged)
