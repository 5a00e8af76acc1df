"""Sprout: an agent-based model of how community self-organised groups sprout."""

import os
import sys


def _installed_version() -> str:
    """The installed distribution's version, read from its ``sprout-VERSION.dist-info``
    directory name on the path: what ``importlib.metadata.version("sprout")`` answers,
    without importing it (a tenth of ``sprout --version``'s time)."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("sprout-") and name.endswith(".dist-info"):
                return name.removeprefix("sprout-").removesuffix(".dist-info")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sprout")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+source"


__version__ = _installed_version()

__all__ = ["CommunityModel", "__version__"]


def __getattr__(name: str):
    # The model (and Mesa, pandas, scipy with it) is imported on first use, so that
    # ``sprout --version`` and ``--help`` start at once.
    if name == "CommunityModel":
        from .model import CommunityModel

        return CommunityModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
