"""Sprout: an agent-based model of how community self-organised groups sprout."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sprout")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from .model import CommunityModel  # noqa: E402

__all__ = ["CommunityModel", "__version__"]
