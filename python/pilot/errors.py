"""The one exception the Pilot-API raises."""


class PilotError(Exception):
    """A failure of the Pilot-API. `value` holds the message (BigJob's
    attribute); the message says what was wrong and what to do."""

    def __init__(self, value, code=None):
        super().__init__(value)
        self.value = value
        self.code = code

    def __str__(self):
        return str(self.value)
