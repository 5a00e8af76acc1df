"""Errors the command line reports as one line and exit status 2."""


class UsageError(Exception):
    """A mistake on the command line that is not about a scenario file."""
