"""Experiments: sweeps over scenarios, funding strategies and sensitivity analysis.

Built on the model's runner; the model never imports this package.
"""

from .execute import run_sweep
from .store import SweepResults, load_results
from .sweep import EXPERIMENTS_DIR, Sweep, load

__all__ = ["EXPERIMENTS_DIR", "Sweep", "SweepResults", "load", "load_results", "run_sweep"]
