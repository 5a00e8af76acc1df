"""``sprout`` called in the test's own process: the command line's exit status, standard
output and standard error as a subprocess would give them, without starting an interpreter
and importing the libraries again (~1 s of CPU a call). For tests that are about what a
command does, not about the process boundary; those (exit status of the real entry point,
import costs, signals) start a real process."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from simulation.cli import main


@dataclass(frozen=True)
class Done:
    """What ``subprocess.run(..., capture_output=True, text=True)`` would have said."""

    returncode: int
    stdout: str
    stderr: str


def sprout(*args: str) -> Done:
    """``sprout ARGS`` in this process (``main`` turns every ending, ``--help`` and
    argparse's refusals included, into its exit status)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Done(code, out.getvalue(), err.getvalue())
