"""Sprout: an agent-based model of how community self-organised groups sprout."""

import os
import sys

# One BLAS thread, unless the user chose otherwise. The model's only BLAS calls are n × 3
# by 3 products (the founding doubt), which a second thread does not speed up; yet OpenBLAS
# starts a thread per core in each of its two copies (numpy's and scipy's), and those
# threads spin while they wait: 0.1-0.25 s of CPU per process at import (README, Speed).
# The results are the same bits with 1 and 2 threads (each row's three products are
# summed by one thread). It must be set before numpy loads OpenBLAS, so a program that
# imports numpy before ``simulation`` keeps its threads; the CLI, the pool's workers and
# the workshop import ``simulation`` first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


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
