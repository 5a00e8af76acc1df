"""Writing a command's outputs into its folder: a run's plan run by the one executor into
the folder's results store (``execute_run``), then one run's files, or every replicate's
folder and their summary, beside it. When Sprout names a run's folder itself, everything is
written into a staging folder moved into place at the end (``latest`` linked to it), so an
interrupted run leaves the earlier folder whole."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .folders import clear_outputs, point_latest, replace_folder
from .scenario import Scenario


@contextmanager
def staged(out: Path, staging: Path | None) -> Iterator[Path]:
    """The folder to write into: ``out`` itself, or ``staging``, moved into place as
    ``out`` once everything is written (Sprout's earlier ``out`` replaced as a whole, as
    ``folders.check_replaceable`` allowed); a staging folder left half-written is
    removed."""
    try:
        yield staging or out
        if staging is not None:
            replace_folder(staging, out)
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def execute_run(out: Path, staging: Path | None, scenario: Scenario, master: int,
                seeds: list[int], workers: int = 1, progress: bool = True
                ) -> tuple[list[Any], dict[str, Any]]:
    """Run ``scenario`` on ``seeds`` as one plan through the one executor into the results
    store of ``staging`` (or of ``out``, replacing Sprout's earlier outputs there, as
    ``folders.check_replaceable`` allowed); return every run's whole result in seed order
    (``runner.RunResult``: events and groups too, for the files ``save_run`` writes) and
    the provenance the store recorded (the files repeat it rather than record it again)."""
    from .experiments.execute import execute_plan
    from .experiments.files import ResultsError
    from .experiments.plans import scenario_plan

    plan = scenario_plan("run", [scenario], seeds, master)
    try:  # Sprout's earlier outputs in ``out`` are cleared with the folder's lock held
        session = execute_plan(plan, staging or out, workers=workers, progress=progress,
                               keep=True, overwrite=staging is None,
                               clear=lambda: clear_outputs(out))
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    results = [session.kept.get(run.run_id) for run in plan.runs()]
    if any(result is None for result in results):
        from .experiments.store import load_results

        failed = load_results(staging or out).failed
        error = failed["error"].iloc[0] if len(failed) else "no result"
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise ResultsError(f"{len(failed)} of {len(results)} runs failed (e.g. seed "
                           f"{failed['seed'].iloc[0] if len(failed) else '?'}: {error})")
    return results, session.metadata["provenance"]


def save_run(out: Path, staging: Path | None, scenario: Scenario, master: int,
             seeds: list[int], results: list[Any], plot: bool = True,
             record: dict[str, Any] | None = None
             ) -> tuple[list[dict[str, Any]], Path | None]:
    """Write the run's files into ``out`` beside its stored runs (``execute_run``):
    directly, or (with ``staging``) into ``staging`` moved into place as ``out`` with
    ``latest`` beside it. Returns the runs' summaries and the ``latest`` link (None
    without staging)."""
    with staged(out, staging) as target:
        summaries = write_run(target, scenario, master, seeds, results, plot, record)
    return summaries, (point_latest(out) if staging is not None else None)


def write_run(out: Path, scenario: Scenario, master: int, seeds: list[int],
               results: list[Any], plot: bool = True, record: dict[str, Any] | None = None
               ) -> list[dict[str, Any]]:
    """Write one run, or every replicate (``replicate-001/``… with its seed in its
    ``summary.json``) and their summary, into ``out``; return the summaries. ``plot``
    draws groups_over_time.png (and only then imports matplotlib)."""
    out.mkdir(parents=True, exist_ok=True)
    if len(results) == 1:
        results[0].save(out, record)
    else:
        for number, result in enumerate(results, 1):
            folder = result.save(out / replicate_name(number, len(results)), record)
            summary = json.loads((folder / "summary.json").read_text())
            summary = {"replicate": number, **summary}
            (folder / "summary.json").write_text(json.dumps(summary, indent=2))
    p = results[0].params
    if plot:
        from .plots import groups_over_time

        groups_over_time({scenario.name: [r.weekly for r in results]},
                         out / "groups_over_time.png", p["project_weeks"],
                         title=f"Active groups — {scenario.name}")
    summaries = [r.summary for r in results]
    if len(results) > 1:
        write_replicate_summary(out, scenario, master, seeds, summaries, p, record)
    return summaries


def replicate_name(number: int, count: int) -> str:
    """The folder of replicate ``number`` (1-based) of ``count``: ``replicate-007``."""
    return f"replicate-{number:0{max(3, len(str(count)))}d}"


def clean(summary: dict[str, Any]) -> dict[str, Any]:
    from .runner import _jsonable

    return _jsonable(summary)


def write_replicate_summary(out: Path, scenario: Scenario, master: int, seeds: list[int],
                             summaries: list[dict[str, Any]], params: dict[str, Any],
                             record: dict[str, Any] | None = None) -> None:
    from .runner import run_metadata
    from .tables import INTERVALS_NOTE, interval_dict

    payload = {**run_metadata(scenario.name, master, params, record), "seeds": seeds,
               "replicates": [{"replicate": i, "seed": seed,
                               "folder": replicate_name(i, len(seeds))}
                              for i, seed in enumerate(seeds, 1)],
               "summary": interval_dict(summaries), "intervals": INTERVALS_NOTE,
               "runs": [clean(s) for s in summaries]}
    (out / "summary.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
