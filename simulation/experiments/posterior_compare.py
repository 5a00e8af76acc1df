"""Counterfactuals under the posterior (``sprout compare``, the default; ``--point`` is
``compare.py``): every scenario under the same posterior draws × seeds nested in them,
paired run by run; each spread split into the parameters' share and the seed's; the
held-out patterns judged draw by draw.

The posterior's draws come from ``posterior_draws.read_draws`` (weighted resamples of the
last ABC generation); the runs go through one ``plans.ScenarioPlan`` and the one executor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals
from ..figures import COMPARE, by_name
from ..intervals import parameter_share as parameter_share
from ..intervals import share_text
from ..runner import replicate_seeds
from ..scenario import Scenario
from ..scenario import load as load_scenario
from .posterior_draws import STORED, read_draws
from .posterior_draws import by_draw as by_draw

# --- counterfactuals under the posterior ----------------------------------------------------

DRAWS = 30
"""Posterior draws a comparison runs by default."""
SEEDS_PER_DRAW = 2
"""Seeds per draw by default: two or more, so that each interval can be split into the
parameters' part and the seed's."""


def _own_overrides(scenario: Scenario) -> dict[str, Any]:
    base = load_scenario("baseline").params
    return {k: v for k, v in scenario.params.items() if base.get(k) != v}


def replicate_draws(sample: Sequence[dict[str, Any]], seeds_per_draw: int
                    ) -> tuple[dict[str, Any], ...]:
    """The draw each replicate takes: replicates ``d * S`` to ``d * S + S - 1`` run draw
    ``d``, each with its own seed (a nested design: seeds within draws)."""
    return tuple(sample[r // seeds_per_draw] for r in range(len(sample) * seeds_per_draw))


def compare_posterior(scenarios: Sequence[Scenario], source: str | Path = STORED,
                      **options: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every scenario under posterior draws × seeds nested in them (``posterior_runs``,
    whose ``options`` it takes): the runs (a row per scenario and replicate, with its
    ``draw``) and the table (``posterior_table``)."""
    runs, _ = posterior_runs(scenarios, source, **options)
    return runs, posterior_table(runs, [s.name for s in scenarios])


def posterior_runs(scenarios: Sequence[Scenario], source: str | Path = STORED,
                   n_draws: int = DRAWS, seed: int = 1, workers: int = 1,
                   progress: bool = True, out: str | Path | None = None,
                   resume: bool = False, dask: str | None = None, replace: bool = False,
                   clear: Callable[[], None] | None = None,
                   seeds_per_draw: int = SEEDS_PER_DRAW,
                   headline: Callable[[int, int], str] | None = None
                   ) -> tuple[pd.DataFrame, dict[str, list[pd.DataFrame]]]:
    """Every scenario under ``n_draws`` posterior draws (weighted resamples of the last
    generation in ``source``'s ``particles.csv``) × ``seeds_per_draw`` seeds: replicate *r*
    takes draw ``r // seeds_per_draw`` and seed *r* in every scenario (paired: the scenarios
    share parameters and keyed random numbers run by run). A scenario keeps its own changes
    where it sets a free parameter. One plan (``plans.ScenarioPlan``), run by the one
    executor into ``out``'s results store (a temporary folder if None; ``resume`` completes
    it). Returns the runs (a row per scenario and replicate, with its ``draw``) and each
    scenario's weekly series in replicate order (for the plot)."""
    from ..inputs import MAX_JSON_BYTES, regular_file
    from .compare import by_scenario, execute_stored, results_folder, stored_summaries
    from .plans import scenario_plan

    regular_file(Path(source) / "particles.csv", MAX_JSON_BYTES, "posterior's particles file")
    sample = read_draws(str(source), n_draws, seed)
    plan = scenario_plan("compare-posterior", scenarios,
                         replicate_seeds(seed, n_draws * seeds_per_draw), seed,
                         draws=replicate_draws(sample, seeds_per_draw),
                         own={s.name: _own_overrides(s) for s in scenarios},
                         extra={"posterior": str(source), "draws": n_draws,
                                "seeds_per_draw": seeds_per_draw})
    with results_folder(out) as folder:
        stored, series, _ = execute_stored(plan, folder, workers, progress, resume, dask,
                                           replace, clear, headline)
        _, curves = by_scenario(plan, stored, series)
    runs = pd.DataFrame([{"draw": int(row["replicate"]) // seeds_per_draw,
                          "replicate": int(row["replicate"]), "scenario": row["scenario"],
                          "seed": int(row["seed"]), **summary}
                         for row, summary in zip(stored.to_dict("records"),
                                                 stored_summaries(stored))])
    return runs, curves


POSTERIOR_FIGURES = COMPARE
"""The figures a comparison under the posterior sets side by side (as at the point)."""


def posterior_table(runs: pd.DataFrame, order: Sequence[str],
                    figures: Sequence[str] = POSTERIOR_FIGURES) -> pd.DataFrame:
    """Per scenario and figure: the mean, 2.5-97.5% of runs over the draws and their seeds,
    and the parameters' share of the runs' variance (the rest is seed noise). Against the
    first scenario, the paired difference in groups at week 52: its mean, the 95% credible
    interval of the expected difference (2.5-97.5% over draws of each draw's mean paired
    difference), 2.5-97.5% of the paired runs, and the parameters' share of their
    variance; the cost per additional group against ``no_programme``, paired by run."""
    from .analysis import COST, GROUPS, REFERENCE, incremental

    key = ["draw", "replicate"]
    first = runs[runs["scenario"] == order[0]].set_index(key)
    reference = runs[runs["scenario"] == REFERENCE].set_index(key)
    rows = []
    for name in order:
        part = runs[runs["scenario"] == name].set_index(key)
        plain = part.reset_index()
        row: dict[str, Any] = {"scenario": name, "draws": int(plain["draw"].nunique()),
                               "runs": len(part)}
        for figure in figures:
            iv = intervals.spread(part[figure], figure)
            share = parameter_share(by_draw(plain, plain[figure]))
            row[figure] = iv.format(figure) + share_text(share)
            row[f"{figure}_mean"], row[f"{figure}_low"], row[f"{figure}_high"] = (
                iv.mean, iv.low, iv.high)
            row[f"{figure}_parameter_share"] = share
        if name == order[0]:
            row["difference_week52"] = "-"
        else:
            row.update(_paired_difference(part["groups_week52"] - first["groups_week52"]))
        if len(reference) and name != REFERENCE:
            ref = reference.loc[part.index]
            row["icer_text"] = incremental(part[GROUPS], part[COST], ref[GROUPS],
                                           ref[COST]).format()
        rows.append(row)
    return pd.DataFrame(rows)


def _paired_difference(diff: pd.Series) -> dict[str, Any]:
    """The paired differences of one figure (indexed by draw and replicate): mean, 95%
    credible interval of the expected difference (over draws of each draw's mean), spread
    of the paired runs, the parameters' share, and the text of all of it."""
    diff = diff.dropna()
    flat = diff.reset_index()
    if flat.empty:
        nan = float("nan")
        return {"difference_week52": "-", "difference_week52_mean": nan}
    runs_iv = intervals.spread(diff, None)
    table = by_draw(flat, flat[flat.columns[-1]])
    means = np.nanmean(table, axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    share = parameter_share(table)
    return {"difference_week52_mean": runs_iv.mean, "difference_week52_low": float(low),
            "difference_week52_high": float(high), "difference_week52_runs_low": runs_iv.low,
            "difference_week52_runs_high": runs_iv.high,
            "difference_week52_parameter_share": share,
            "difference_week52": (f"{runs_iv.mean:+.1f} [{low:+.1f}, {high:+.1f}] (runs "
                                  f"{runs_iv.low:+.1f} to {runs_iv.high:+.1f}"
                                  f"{share_text(share)})")}


def posterior_markdown(table: pd.DataFrame, source: str,
                       figures: Sequence[str] = POSTERIOR_FIGURES,
                       seeds_per_draw: int | None = None) -> str:
    """The posterior counterfactual table as Markdown, saying what its intervals are and
    how much of each is the parameters' and how much the seed's."""
    first = table["scenario"].iloc[0]
    headers = (["scenario"] + [by_name(f).label() for f in figures]
               + [f"Difference from `{first}` at week 52"])
    extra = "icer_text" in table
    if extra:
        headers.append("Cost per additional group alive at horizon (yuan)")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, row in table.iterrows():
        cells = [f"`{row['scenario']}`"] + [row[f] for f in figures] + [row["difference_week52"]]
        if extra:
            text = row.get("icer_text")
            cells.append(text if isinstance(text, str) else "(reference)")
        lines.append("| " + " | ".join(cells) + " |")
    n = int(table["draws"].max())
    per = seeds_per_draw or max(1, int(table["runs"].max()) // max(n, 1))
    lines.append(
        f"\nOver {n} posterior draws from `{source}` × {per} seeds each "
        f"({n * per} runs per scenario), shared by every scenario (run *r* of every "
        "scenario has the same parameters and the same keyed random numbers). Each figure: "
        "mean (2.5–97.5% of runs: what one community could show, parameter and seed "
        "uncertainty together); *parameters NN%*: the share of the runs' variance the "
        "posterior's parameters explain (between draws, less the seed noise their means "
        "keep), the rest being seed noise. Difference: the mean paired difference [95% "
        "credible interval of the expected difference: 2.5–97.5% over draws of each draw's "
        f"mean over its {per} seeds — parameter uncertainty, widened a little by the seed "
        "noise those means keep] (2.5–97.5% of the paired runs; the parameters' share of "
        "their variance)."
        + (" Cost per additional group: against `no_programme`, mean [95% bootstrap over "
           "the paired runs]." if extra else "")
        + " `--point` gives the same comparison at the calibrated point.")
    return "\n".join(lines)


def cmd_compare_posterior(args: Any, scenarios: Sequence[Scenario]) -> int:
    """``sprout compare ...`` under the posterior (the default; ``--posterior DIR`` names
    another): run, print and write the table and the plot."""
    import os

    from ..errors import UsageError
    from ..plots import groups_over_time

    source = Path(args.posterior or STORED)
    if not (source / "particles.csv").exists():
        raise UsageError(f"{source} holds no posterior (particles.csv); run "
                         "`sprout calibrate --abc --store` first, name its folder with "
                         "--posterior DIR, or compare at the calibrated point with --point")
    out = Path(args.out or "out/compare-posterior")
    per = args.seeds
    runs, curves = posterior_runs(scenarios, source, args.draws, args.seed,
                                  workers=args.workers or os.cpu_count() or 1,
                                  progress=not args.json, out=out,
                                  resume=getattr(args, "resume", False),
                                  dask=getattr(args, "dask", None),
                                  replace=getattr(args, "replace", False),
                                  clear=getattr(args, "clear", None), seeds_per_draw=per,
                                  headline=getattr(args, "headline", None))
    table = posterior_table(runs, [s.name for s in scenarios])
    shown = str(source) if args.posterior else "experiments/calibration/abc"
    text = posterior_markdown(table, shown, seeds_per_draw=per)
    stored = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    meta = {key: stored[key] for key in ("scenarios", "posterior", "draws", "seeds_per_draw",
                                         "master_seed", "seeds", "sprout_version",
                                         "provenance") if key in stored}
    runs.to_csv(out / "runs.csv", index=False)
    table.to_csv(out / "compare_posterior.csv", index=False)
    (out / "compare_posterior.md").write_text(text + "\n", encoding="utf-8")
    project_weeks = max(s.params["project_weeks"] for s in scenarios)
    groups_over_time(curves, out / "compare_groups.png", project_weeks,
                     title=f"Active groups by scenario (mean and spread of runs: {args.draws} "
                           f"posterior draws × {per} seeds)")
    if args.json:
        print(json.dumps({"table": json.loads(table.to_json(orient="records")), **meta,
                          "out": str(out)}, ensure_ascii=False, default=str))
    else:
        print(text)
        print(f"\nWrote {out}/ (compare_posterior.csv, compare_posterior.md, "
              "compare_groups.png, runs.csv; runs.parquet, series.parquet, metadata.json)")
    return 0


# --- held-out patterns under the posterior -------------------------------------------------

HELD_OUT_SCENARIOS = ("baseline", "no_infiltration", "one_month_infiltration", "no_grants",
                      "grants_only", "no_demonstrations", "weak_community")
"""The scenarios the held-out patterns compare (``validation.held_out_checks``)."""


def held_out_under_posterior(runs: pd.DataFrame) -> pd.DataFrame:
    """Each held-out pattern judged under the posterior, from ``posterior_runs`` of (at
    least) ``HELD_OUT_SCENARIOS``: ``share`` is the share of posterior draws where it holds,
    each draw judged on its own seeds (draws are weighted resamples of the posterior, so
    the share estimates posterior mass; with few seeds a draw, seed noise pulls it towards
    one half); ``draws`` how many draws could judge it; ``pooled`` whether it holds over all
    the runs at once (the posterior predictive)."""
    from ..validation import HELD_OUT, held_out_checks

    verdicts: dict[str, list[bool]] = {name: [] for name in HELD_OUT}
    for _, part in runs.groupby("draw", sort=True):
        for name, ok in held_out_checks(part).items():
            verdicts.setdefault(name, []).append(bool(ok))
    pooled = held_out_checks(runs)
    rows = [{"pattern": name, "draws": len(v),
             "share": float(np.mean(v)) if v else float("nan"),
             "pooled": pooled.get(name)} for name, v in verdicts.items()]
    return pd.DataFrame(rows)


def held_out_markdown(table: pd.DataFrame, point: Mapping[str, bool], n_draws: int,
                      seeds_per_draw: int) -> str:
    """The held-out patterns at the calibrated point and under the posterior, as Markdown."""
    lines = ["| held-out pattern | at the calibrated point | share of posterior draws where "
             "it holds | over all the posterior's runs |", "|---|---|---|---|"]
    for row in table.to_dict("records"):
        at_point = point.get(row["pattern"])
        point_text = "-" if at_point is None else ("holds" if at_point else "**does not hold**")
        share = "-" if not row["draws"] else f"{row['share']:.0%}"
        pooled = row["pooled"]
        pooled_text = "-" if pooled is None else ("holds" if pooled else "**does not hold**")
        lines.append(f"| `{row['pattern']}` | {point_text} | {share} | {pooled_text} |")
    lines.append(
        f"\nAt the point: the calibration's validation seeds (`experiments/calibration/"
        f"accepted.json`). Under the posterior: {n_draws} draws × {seeds_per_draw} seeds of "
        "every scenario the patterns compare, paired run by run; a draw is judged on its "
        f"own {seeds_per_draw} seeds, so a pattern whose margin is smaller than the seed "
        "noise reads near one half whatever the parameters; the last column judges all "
        "the runs together.")
    return "\n".join(lines)
