"""Errors the command line reports as one line and exit status 2, and the checks of its
arguments.

Every bad input ends in one line ``sprout: error: ...`` on stderr and exit status 2, never
a traceback: argument mistakes (``Parser.error``), scenario and sweep files
(``ScenarioError``), sizes and combinations (``limits.LimitError``), network files, results
directories (``ResultsError``) and what the operating system, a decoder, Arrow or JSON
refuse (``one_line`` turns those into a message naming the file).
"""

from __future__ import annotations

import argparse
import errno
import uuid
from pathlib import Path
from typing import Any


class ReportedError(Exception):
    """An error whose message is all the user needs: printed as one line, exit status 2."""


class UsageError(ReportedError):
    """A mistake on the command line that is not about a scenario file."""


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter,
                    argparse.RawDescriptionHelpFormatter):
    """Help that shows every default (but not of on/off flags) and keeps the epilog's line
    breaks."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        # An on/off flag's default is the opposite of what naming it does: not worth showing
        # (``--no-plot`` would read "default: True").
        if action.nargs == 0 or action.default is None:
            return action.help
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line (``UsageError``) and whose help shows
    defaults."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def integer(low: int, high: int | None = None, what: str = "an integer",
            allowed: str | None = None) -> Any:
    """An argparse type: an integer from ``low`` to ``high`` (``allowed`` says so in words
    instead of the numbers)."""

    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            upper = f" to {high:,}" if high is not None else " or more"
            raise argparse.ArgumentTypeError(f"expected {allowed or f'{what} from {low:,}{upper}'}"
                                             f", got {text!r}")
        return value

    convert.__name__ = what  # argparse names the type in some messages
    return convert


def out_path(what: str = "a folder") -> Any:
    """An argparse type: a path that is not empty (``--out ""`` is refused, not taken as
    "no --out")."""

    def convert(text: str) -> str:
        if not text.strip() or "\0" in text:
            raise argparse.ArgumentTypeError(f"expected {what} path, got {text!r}")
        return text

    convert.__name__ = what
    return convert


def number(low: float, high: float | None = None, what: str = "a number",
           low_open: bool = False) -> Any:
    """An argparse type: a finite number from ``low`` (excluded with ``low_open``) to
    ``high``; NaN, infinities, and numbers out of range refused."""
    import math

    def convert(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            value = math.nan
        below = value <= low if low_open else value < low
        if not math.isfinite(value) or below or (high is not None and value > high):
            bound = f"more than {low:g}" if low_open else f"at least {low:g}"
            upper = f" and at most {high:g}" if high is not None else ""
            raise argparse.ArgumentTypeError(f"expected {what}: {bound}{upper}, got {text!r}")
        return value

    convert.__name__ = what
    return convert


def dask_address_ok(address: str) -> bool:
    """Whether ``address`` is ``"local"`` or a Dask scheduler address (``tcp://host:port``,
    ``host:port``, ``tls://…``, or another scheme with something after it)."""
    if address == "local":
        return True
    scheme, _, rest = address.rpartition("://")
    host, _, port = rest.rpartition(":")
    return (bool(rest) if scheme not in ("", "tcp", "tls")
            else bool(host) and port.isdigit() and 0 < int(port) < 65536)


def dask_type() -> Any:
    """An argparse type: ``local`` or a Dask scheduler address (checked before anything
    runs; whether a scheduler answers there is checked when it is joined)."""

    def convert(text: str) -> str:
        if not dask_address_ok(text):
            raise argparse.ArgumentTypeError(f"expected 'local' or a scheduler address such "
                                             f"as tcp://127.0.0.1:8786, got {text!r}")
        return text

    convert.__name__ = "a Dask address"
    return convert


def seed_type() -> Any:
    from .limits import MAX_SEED

    return integer(0, MAX_SEED, "a seed", "a seed: an integer from 0 to 2^63 - 1")


def workers_type() -> Any:
    from .limits import MAX_WORKERS

    return integer(1, MAX_WORKERS, "a number of processes")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def one_line(err: BaseException) -> str | None:
    """The one-line message for an error a user can cause and fix, or None for an error
    that is a bug (which keeps its traceback)."""
    import json

    from .limits import LimitError, NetworkFileError

    # ScenarioError (scenario.py) and InputError (inputs.py) are ReportedErrors.
    if isinstance(err, (ReportedError, LimitError, NetworkFileError)):
        return " ".join(str(err).split())
    if isinstance(err, OSError):
        where = err.filename or ""
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"no space left on the device{f' (writing {where})' if where else ''}"
        if where and err.strerror:
            return f"{where}: {err.strerror}"
        return _first_line(str(err)) or type(err).__name__
    if isinstance(err, UnicodeDecodeError):
        return f"a file is not UTF-8 text ({err.reason} at byte {err.start})"
    if isinstance(err, json.JSONDecodeError):
        return f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})"
    if type(err).__module__.startswith("pyarrow"):
        return f"a Parquet file cannot be read: {_first_line(str(err))}"
    if isinstance(err, MemoryError):
        return ("out of memory: try fewer residents, fewer ties or fewer --workers "
                "(see simulation/limits.py)")
    return None


def writable_directory(path: Path, option: str = "--out") -> Path:
    """Create ``path`` if needed and check that files can be written in it, before anything
    is simulated; a ``UsageError`` otherwise (a file in the way, no permission, read-only)."""
    try:
        if path.exists() and not path.is_dir():
            raise UsageError(f"{option} {path}: a file, not a directory")
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".sprout-probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise UsageError(f"{option} {path}: cannot write there "
                         f"({err.strerror or type(err).__name__})") from None
    return path
