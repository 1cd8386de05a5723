"""The one exception the Pilot-API raises, and how its messages quote values."""

import reprlib
import unicodedata

_QUOTED_LIMIT = 80
_ESCAPES = {"\0": "\\0", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _QUOTED_LIMIT


class PilotError(Exception):
    """A failure of the Pilot-API. `value` holds the message (BigJob's
    attribute); the message says what was wrong and what to do."""

    def __init__(self, value, code=None):
        super().__init__(value)
        self.value = value
        self.code = code

    def __str__(self):
        return str(self.value)


def _escaped(character):
    if character in _ESCAPES:
        return _ESCAPES[character]
    return f"\\u{{{ord(character):x}}}" if unicodedata.category(character) == "Cc" else character


def quoted(value):
    """`value` as an error message shows it, as the core's `quoted` does: a
    string in single quotes with control characters escaped, cut after 80
    characters with `…` and its size (`'aaaa…' (10485760 bytes)`); anything
    else as a shortened repr. No message grows with the value it quotes."""
    if not isinstance(value, str):
        try:
            return _SHORT_REPR.repr(value)
        except Exception:  # a repr that fails: name the type instead
            return f"a {type(value).__name__}"
    shown = "".join(_escaped(character) for character in value[:_QUOTED_LIMIT])
    if len(value) <= _QUOTED_LIMIT:
        return f"'{shown}'"
    return f"'{shown}…' ({len(value.encode('utf-8', 'surrogatepass'))} bytes)"
