"""Sensitivity of the headline figures: Morris screening and Sobol indices (SALib).

A sensitivity file is a sweep file whose ``[vary]`` gives every parameter a
``{ uniform = [low, high] }`` range or a list of options (a programme's real choices, each
drawn with equal chance), with a ``[sensitivity]`` table::

    [sensitivity]
    outputs = ["groups_week52", "groups_horizon"]   # summary figures to explain
    posterior = ["found_threshold"]   # ranges: the stored posterior's 95% intervals
    morris_trajectories = 10     # Morris: trajectories, runs = r (k + 1)
    morris_levels = 4
    sobol_samples = 64           # Sobol (Saltelli): base samples N, a power of two;
                                 # runs = N (k + 2) × replicates

(``sensitivity_ranges`` says where each range comes from and which factors are levers.)
SALib draws the sample from the file's seed; each sample row becomes a sweep point (integer
parameters rounded), so runs go through the same crash-safe, resumable machinery as any
sweep. Each point runs the file's ``replicates``, replicate *r* with the same seed on every
point (common random numbers); its figure is the mean over them, and the spread between
them gives the seed-noise share of the variance (``seed_noise``: ``seed_noise.csv``).

Sobol indices come with 95% percentile bootstrap intervals (``BOOTSTRAP`` resamples of the
sample's rows, SALib's ``keep_resamples``): ``S1_low``/``S1_high``, ``ST_low``/``ST_high``.
An index **does not resolve** when its interval is wider than the estimate (the half-width
exceeds the estimate's size, so the sign or the size is not known) or when a first-order
index is negative (impossible for a variance share: sampling noise); ``Analysis.warnings``
says which, and ``text()`` prints them — raise ``sobol_samples`` or average more
replicates. ``resolution()`` reports the widest total-order interval per output, against
``ST_WIDTH_TARGET`` (0.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import limits
from ..figures import SUMMARY, label
from ..parameters import BY_NAME
from ..scenario import ScenarioError
from . import seed_noise
from . import sensitivity_ranges as ranges
from .execute import run_sweep
from .sensitivity_plot import plot_indices
from .store import load_results
from .sweep import Axis, Sweep, point_id
from .sweep import load as load_sweep

BOOTSTRAP = 1000
"""Bootstrap resamples for the Sobol indices' intervals."""

ST_WIDTH_TARGET = 0.1
"""Total-order intervals narrower than this count as resolved at full size."""

SETTINGS: dict[str, Any] = {
    "outputs": ["groups_week52", "groups_horizon", "survival_rate", "cost_per_group_horizon"],
    "morris_trajectories": 10,
    "morris_levels": 4,
    "sobol_samples": 64,
    "free": False,
    "posterior": False,
}
"""Settings of the ``[sensitivity]`` table and their defaults. ``free = true`` adds the
calibration's free parameters (``calibrate.FREE``) over their calibration ranges to the
``[vary]`` table (a parameter given there keeps the file's range): the file follows the
calibration when it changes. ``posterior = [names]`` (or ``true``: all) adds parameters of
the stored ABC posterior over its 95% intervals (``sensitivity_ranges``)."""

LIMITS = {"morris_trajectories": limits.MAX_SAMPLES, "morris_levels": limits.MAX_MORRIS_LEVELS,
          "sobol_samples": limits.MAX_SAMPLES}
"""The largest value of each numeric setting (see ``simulation.limits``)."""


@dataclass
class Design:
    """A checked sensitivity file: the sweep (base, fixed values, ranges) and settings."""

    sweep: Sweep
    outputs: tuple[str, ...]
    morris_trajectories: int
    morris_levels: int
    sobol_samples: int
    origins: dict[str, str] = field(default_factory=dict)
    """Where each factor's range comes from: ``posterior``, ``calibration``, ``options`` or
    ``range`` (``sensitivity_ranges``)."""

    @property
    def names(self) -> list[str]:
        return [axis.name for axis in self.sweep.axes]

    def factors(self) -> pd.DataFrame:
        """One row per factor: its kind (lever or uncertain), where its range comes from,
        and the range."""
        rows = []
        for axis in self.sweep.axes:
            origin = self.origins.get(axis.name) or ("options" if ranges.is_options(axis)
                                                     else "range")
            rows.append({"parameter": axis.name,
                         "kind": ranges.kind_of(axis.name, origin, self.sweep.conditions),
                         "origin": origin, "range": ranges.describe(axis)})
        return pd.DataFrame(rows, columns=["parameter", "kind", "origin", "range"])

    def runs(self, method: str) -> int:
        """Runs of ``method``'s sample at most (rows × replicates), known before sampling:
        Morris r (k + 1), Sobol N (k + 2)."""
        k = len(self.names)
        rows = (self.morris_trajectories * (k + 1) if method == "morris"
                else self.sobol_samples * (k + 2))
        return rows * self.sweep.replicates

    def check_size(self, method: str) -> int:
        """``runs(method)``, refused above ``limits.MAX_RUNS``."""
        return limits.count(f"{method}: runs", self.runs(method), limits.MAX_RUNS)

    def problem(self) -> dict[str, Any]:
        """The SALib problem: names and bounds."""
        return {"num_vars": len(self.names), "names": self.names,
                "bounds": [list(ranges.bounds(axis)) for axis in self.sweep.axes]}

    def sample(self, method: str) -> np.ndarray:
        """SALib's sample for ``method``, drawn from the file's seed."""
        if method == "morris":
            from SALib.sample import morris

            return morris.sample(self.problem(), self.morris_trajectories,
                                 num_levels=self.morris_levels, seed=self.sweep.seed)
        from SALib.sample import sobol

        return sobol.sample(self.problem(), self.sobol_samples, calc_second_order=False,
                            seed=self.sweep.seed)

    def values(self, row: np.ndarray) -> dict[str, Any]:
        """One sample row as checked parameter values (integers rounded, options picked)."""
        out = {}
        for axis, x in zip(self.sweep.axes, row):
            parameter = BY_NAME[axis.name]
            if ranges.is_options(axis):
                out[axis.name] = ranges.option_value(axis, x)
            else:
                out[axis.name] = parameter.check(round(float(x)) if parameter.kind is int
                                                 else float(x))
        return out

    def sweep_for(self, method: str, sample: np.ndarray) -> Sweep:
        """The sweep running every distinct point of a sample."""
        points = {point_id(v): v for v in map(self.values, sample)}
        base = self.sweep
        return Sweep(f"{base.name}-{method}", base.base, (), base.replicates, base.seed,
                     fixed=base.fixed, description=base.description, path=base.path,
                     file_sha256=base.file_sha256, explicit_points=tuple(points.values()))


def load_design(name: str | Path) -> Design:
    """Load and check a sensitivity file."""
    sweep = load_sweep(name)
    source = sweep.path
    if "sensitivity" not in sweep.extra:
        raise ScenarioError(source, "sensitivity", "missing: a sensitivity file needs a "
                            "[sensitivity] table (outputs, morris_trajectories, ...)")
    table = sweep.extra["sensitivity"]
    free = table.get("free", False)
    if not isinstance(free, bool):
        raise ScenarioError(source, "sensitivity.free", f"expected true or false, got {free!r}")
    for axis in sweep.axes:
        if axis.distribution != "uniform" and not ranges.is_options(axis):
            raise ScenarioError(source, f"vary.{axis.name}", "expected a range { uniform = "
                                "[low, high] } or a list of options [a, b, ...]")
        if ranges.is_options(axis) and len(axis.values) < 2:
            raise ScenarioError(source, f"vary.{axis.name}", "expected at least two options")
    given = {axis.name for axis in sweep.axes}
    origins = {}
    if table.get("posterior", False) is not False:
        if free:
            raise ScenarioError(source, "sensitivity.posterior", "free = true and posterior "
                                "exclude each other: keep one")
        from .posterior_draws import STORED

        names = ranges.posterior_names(source, "sensitivity.posterior", table["posterior"],
                                       STORED)
        both = [n for n in names if n in given]
        if both:
            raise ScenarioError(source, "sensitivity.posterior", f"{', '.join(both)} also "
                                "in [vary]; keep one")
        sweep = replace(sweep, axes=ranges.posterior_axes(source, names, STORED) + sweep.axes)
        origins = dict.fromkeys(names, "posterior")
    if free:
        from .calibrate import FREE

        extra = tuple(Axis(k, distribution="uniform", bounds=(float(lo), float(hi)))
                      for k, (lo, hi) in FREE.items() if k not in given)
        sweep = replace(sweep, axes=extra + sweep.axes)
        origins = {axis.name: "calibration" for axis in extra}
    if len(sweep.axes) < 2:
        raise ScenarioError(source, "vary", "expected at least two parameters to vary")
    settings = dict(SETTINGS)
    for key, value in sweep.extra["sensitivity"].items():
        full = f"sensitivity.{key}"
        if key not in SETTINGS:
            raise ScenarioError(source, full, "unknown key; allowed: " + ", ".join(SETTINGS))
        if key == "outputs":
            if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
                raise ScenarioError(source, full, "expected a list of summary figure names")
            known = [f.name for f in SUMMARY if f.numeric]
            unknown = [v for v in value if v not in known]
            if unknown:
                raise ScenarioError(source, full, f"unknown figures {unknown}; allowed: "
                                    + ", ".join(known))
            twice = sorted({v for v in value if value.count(v) > 1})
            if twice:
                raise ScenarioError(source, full, f"{', '.join(twice)} named more than "
                                    "once; name each figure once")
        elif key in ("free", "posterior"):
            pass  # checked above
        elif (isinstance(value, bool) or not isinstance(value, int)
              or not 2 <= value <= LIMITS[key]):
            raise ScenarioError(source, full, f"expected an integer from 2 to "
                                f"{LIMITS[key]:,}, got {value!r}")
        elif key == "sobol_samples" and value & (value - 1):
            raise ScenarioError(source, full, f"expected a power of two, got {value}")
        settings[key] = value
    design = Design(sweep, tuple(settings["outputs"]), settings["morris_trajectories"],
                    settings["morris_levels"], settings["sobol_samples"], origins)
    for method in ("morris", "sobol"):
        try:
            design.check_size(method)
        except limits.LimitError as err:
            raise ScenarioError(source, "sensitivity", str(err)) from None
    return design


@dataclass
class Analysis:
    """Sensitivity indices of one method, and where they were written."""

    method: str
    indices: pd.DataFrame
    skipped: dict[str, str]
    out: Path
    plot: Path | None
    noise: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per output: the seed-noise shares (``seed_noise.seed_table``), Sobol only."""

    @property
    def warnings(self) -> list[str]:
        """One line per index that does not resolve (Sobol only)."""
        if self.method != "sobol" or self.indices.empty:
            return []
        return [f"{label(row['output'])}: {row['parameter']}: {row['note']}"
                for _, row in self.indices.iterrows() if row["note"]]

    def resolution(self) -> pd.DataFrame:
        """Per output: the widest total-order interval, whether it is under the target
        width, and how many indices do not resolve (Sobol only)."""
        if self.method != "sobol" or self.indices.empty:
            return pd.DataFrame()
        table = self.indices.assign(width=self.indices["ST_high"] - self.indices["ST_low"])
        grouped = table.groupby("output", sort=False)
        return pd.DataFrame({
            "widest_ST_interval": grouped["width"].max(),
            "under_target": grouped["width"].max() < ST_WIDTH_TARGET,
            "unresolved": grouped["note"].apply(lambda n: int((n != "").sum())),
            "parameters": grouped.size(),
        }).reset_index()

    def text(self) -> str:
        """The indices as a plain table, most influential parameters first; Sobol indices
        with their 95% bootstrap intervals, a ``?`` beside those that do not resolve and a
        warning naming them."""
        key = "mu_star" if self.method == "morris" else "ST"
        title = ("Morris screening: mu* (mean absolute elementary effect) and sigma"
                 if self.method == "morris" else "Sobol indices: first order S1, total ST")
        lines = [title]
        for output, table in self.indices.groupby("output", sort=False):
            lines.append(f"  {label(output)}")
            for _, row in table.sort_values(key, ascending=False).iterrows():
                if self.method == "morris":
                    cells = f"mu_star {row['mu_star']:8.3g} ±{row['mu_star_conf']:.2g}"
                    extra = f"  sigma {row['sigma']:.3g}"
                else:
                    cells = "  ".join(
                        f"{c} {row[c]:6.3f} [{row[c + '_low']:6.3f}, {row[c + '_high']:6.3f}]"
                        + ("?" if not row[c + "_resolved"] else " ") for c in ("S1", "ST"))
                    extra = ""
                kind = f" ({row['kind']})" if "kind" in row and row["kind"] == "lever" else ""
                lines.append(f"    {row['parameter'] + kind:<32} {cells}{extra}")
        for output, reason in self.skipped.items():
            lines.append(f"  {output}: skipped ({reason})")
        warnings = self.warnings
        if warnings:
            lines.append(f"Warning: {len(warnings)} indices do not resolve (?: interval wider "
                         "than the estimate, or a negative first-order index) — sampling "
                         "noise; raise sobol_samples or the replicates:")
            lines += [f"  {w}" for w in warnings]
        resolution = self.resolution()
        for _, row in resolution.iterrows():
            verdict = "under" if row["under_target"] else "NOT under"
            lines.append(f"  {label(row['output'])}: widest total-order interval "
                         f"{row['widest_ST_interval']:.3f}, {verdict} {ST_WIDTH_TARGET}")
        if not self.noise.empty:
            lines += ["Seed noise (run-to-run chance, common seeds on every row):",
                      *seed_noise.text(self.noise)]
        return "\n".join(lines)


def analyse(design: Design, method: str, sample: np.ndarray,
            runs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Indices of each output from the sample and the runs' figures (mean over replicates)."""
    done = runs[runs["status"] == "done"]
    ids = [point_id(design.values(row)) for row in sample]
    frames, skipped = [], {}
    for output in design.outputs:
        if output not in done:
            skipped[output] = "no run finished"
            continue
        means = pd.to_numeric(done[output]).groupby(done["point_id"]).mean()
        y = means.reindex(ids).to_numpy(dtype=float)
        if not np.isfinite(y).all():
            missing = int((~np.isfinite(y)).sum())
            skipped[output] = f"{missing} of {len(y)} sample points have no finite value"
            continue
        if method == "morris":
            from SALib.analyze import morris

            result = morris.analyze(design.problem(), sample, y,
                                    num_levels=design.morris_levels, seed=design.sweep.seed)
            columns = ("mu", "mu_star", "sigma", "mu_star_conf")
        else:
            from SALib.analyze import sobol

            result = sobol.analyze(design.problem(), y, calc_second_order=False,
                                   num_resamples=BOOTSTRAP, keep_resamples=True,
                                   seed=design.sweep.seed)
            columns = ("S1", "S1_conf", "ST", "ST_conf")
        frame = pd.DataFrame({c: np.asarray(result[c], dtype=float) for c in columns})
        if method == "sobol":
            frame = _with_intervals(frame, result)
        frame.insert(0, "parameter", design.names)
        frame.insert(0, "output", output)
        frames.append(frame)
    indices = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return indices, skipped


def resolved(estimate: np.ndarray, low: np.ndarray, high: np.ndarray,
             first_order: bool) -> np.ndarray:
    """Whether each index resolves: its interval no wider than the estimate (half-width at
    most the estimate's size) and, for first-order indices, not negative."""
    estimate, low, high = (np.asarray(a, dtype=float) for a in (estimate, low, high))
    ok = (high - low) / 2 <= np.abs(estimate)
    return ok & (estimate >= 0) if first_order else ok


def _with_intervals(frame: pd.DataFrame, result: Any) -> pd.DataFrame:
    """Percentile bootstrap intervals, resolution flags and a note per Sobol index."""
    for c in ("S1", "ST"):
        draws = np.asarray(result[f"{c}_conf_all"], dtype=float)
        frame[f"{c}_low"] = np.nanquantile(draws, 0.025, axis=0)
        frame[f"{c}_high"] = np.nanquantile(draws, 0.975, axis=0)
        frame[f"{c}_resolved"] = resolved(frame[c], frame[f"{c}_low"], frame[f"{c}_high"],
                                          c == "S1")
    notes = []
    for _, row in frame.iterrows():
        parts = []
        if row["S1"] < 0:
            parts.append(f"negative first-order index ({row['S1']:.3f})")
        elif not row["S1_resolved"]:
            parts.append(f"S1 interval [{row['S1_low']:.3f}, {row['S1_high']:.3f}] wider than "
                         f"S1 {row['S1']:.3f}")
        if not row["ST_resolved"]:
            parts.append(f"ST interval [{row['ST_low']:.3f}, {row['ST_high']:.3f}] wider than "
                         f"ST {row['ST']:.3f}")
        notes.append("; ".join(parts))
    frame["note"] = notes
    return frame


def run_sensitivity(design: Design, method: str, out: str | Path, workers: int = 1,
                    resume: bool = False, dask: str | None = None,
                    progress: bool = True, overwrite: bool = False) -> Analysis:
    """Run the sample of ``method`` ("morris" or "sobol") as a sweep into ``out``, then
    write its indices (``indices.csv``) and their plot."""
    from ..folders import check_own_files

    out = Path(out)
    check_own_files(out, ("sample.csv", "indices.csv", f"{method}.png", "resolution.csv",
                          "warnings.txt", "seed_noise.csv", "factors.csv"))
    sample = design.sample(method)
    run_sweep(design.sweep_for(method, sample), out, workers=workers, resume=resume,
              dask=dask, progress=progress, overwrite=overwrite)
    pd.DataFrame(sample, columns=design.names).to_csv(out / "sample.csv", index=False)
    runs = load_results(out).runs
    indices, skipped = analyse(design, method, sample, runs)
    factors = design.factors()
    factors.to_csv(out / "factors.csv", index=False)
    if not indices.empty:
        indices.insert(2, "kind", indices["parameter"].map(
            factors.set_index("parameter")["kind"]))
    indices.to_csv(out / "indices.csv", index=False)
    plot = None if indices.empty else plot_indices(indices, method, out / f"{method}.png")
    noise = pd.DataFrame()
    if method == "sobol":
        ids = [point_id(design.values(row)) for row in sample]
        noise = seed_noise.seed_table(runs, design.outputs, ids, seed=design.sweep.seed)
        noise.to_csv(out / "seed_noise.csv", index=False)
    analysis = Analysis(method, indices, skipped, out, plot, noise)
    if method == "sobol" and not indices.empty:
        analysis.resolution().to_csv(out / "resolution.csv", index=False)
        (out / "warnings.txt").write_text("\n".join(analysis.warnings) + "\n",
                                          encoding="utf-8")
    return analysis
