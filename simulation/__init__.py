"""Sprout: an agent-based model of how community self-organised groups sprout."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sprout")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["CommunityModel", "__version__"]


def __getattr__(name: str):
    # The model (and Mesa, pandas, scipy with it) is imported on first use, so that
    # ``sprout --version`` and ``--help`` start at once.
    if name == "CommunityModel":
        from .model import CommunityModel

        return CommunityModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
