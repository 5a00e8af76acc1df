"""Experiments: sweeps over scenarios, funding strategies and sensitivity analysis.

Built on the model's runner; the model never imports this package.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {"run_sweep": "execute", "execute_plan": "execute", "SweepResults": "store",
            "load_results": "store",
            "EXPERIMENTS_DIR": "sweep", "Sweep": "sweep", "load": "sweep"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    # Imported on first use: registering the subcommands imports none of the model.
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def workbench() -> Any:
    """EMA Workbench, imported without its "ipyparallel not installed" warning (an evaluator
    Sprout does not use); later imports of it are then quiet too."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import ema_workbench
    return ema_workbench
