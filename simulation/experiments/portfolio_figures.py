"""What an allocation buys, per community and in total, with its intervals.

Groups alive at the project's end and at the horizon, what they add to no programme, and
cost (the model's own ``cost_total``: worker hours, grants paid, training sessions, life
meetings) show the mean and the range of 95% of realisations (2.5th-97.5th percentile over
posterior draws × seeds): what the portfolio could deliver, parameter and stochastic
uncertainty together. The cost per additional group is ``analysis.incremental``'s: mean
added cost over mean added groups, 95% percentile bootstrap over the paired realisations.
The chance a community stalls is the model's ``stalled`` (fewer than 10 new groups by week
52) with a 95% Wilson interval. The portfolio's figures are its communities' summed
realisation by realisation (the same draw everywhere); the budget holds when the 95th
percentile of the total cost is within it, the staff when the workers allocated are no
more than the staff.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals
from ..scenario import load as load_scenario
from .portfolio import NOT_FUNDED, Portfolio, Settings, funded
from .portfolio_runs import FIGURES

# --- an allocation's figures ---------------------------------------------------------------------

def realisations(frame: pd.DataFrame, choice: Mapping[str, int]) -> dict[str, pd.DataFrame]:
    """Per community, its chosen option's runs beside its reference runs, one row per
    realisation (draw, replicate): groups, cost, stalled and the reference's groups and
    cost. An unfunded community's row is its reference (adding nothing, costing what no
    programme costs)."""
    done = frame[frame["status"] == "done"]
    out = {}
    for community, part in done.groupby("community", sort=False):
        ref = part[part["option"] == -1].set_index(["draw", "replicate"])
        option = choice[community]
        mine = ref if option < 0 else part[part["option"] == option].set_index(
            ["draw", "replicate"])
        both = mine[list(FIGURES)].join(ref[list(FIGURES)].add_suffix("_ref"), how="inner")
        if option < 0:
            both["stalled"] = np.nan  # a community without a programme does not "stall"
        out[community] = both.sort_index()
    return out


def _row(name: str, table: pd.DataFrame, funded_: bool) -> dict[str, Any]:
    from .analysis import incremental

    added = table["groups_horizon"] - table["groups_horizon_ref"]
    row: dict[str, Any] = {"community": name, "funded": funded_, "realisations": len(table)}
    for figure in ("groups_project_end", "groups_horizon", "cost_total"):
        iv = intervals.spread(table[figure])
        row.update({figure: iv.mean, f"{figure}_low": iv.low, f"{figure}_high": iv.high})
    iv = intervals.spread(added)
    row.update(added_groups=iv.mean, added_groups_low=iv.low, added_groups_high=iv.high)
    inc = incremental(table["groups_horizon"], table["cost_total"],
                      table["groups_horizon_ref"], table["cost_total_ref"])
    row.update(icer=inc.icer, icer_low=inc.low, icer_high=inc.high, icer_effect=inc.effect,
               icer_text=inc.format() if funded_ else "-")
    stalled = table["stalled"].dropna()
    if funded_ and len(stalled):
        iv = intervals.of_mean(stalled, "stalled")
        row.update(stall=iv.mean, stall_low=iv.low, stall_high=iv.high)
    else:
        row.update(stall=np.nan, stall_low=np.nan, stall_high=np.nan)
    return row


def figures(portfolio: Portfolio, frame: pd.DataFrame, choice: Mapping[str, int],
            options: Mapping[str, Sequence[Mapping[str, Any]]]
            ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per community and in total: the table of an allocation's figures (see the module's
    docstring for the intervals) and the totals with the budget and staff checks. An
    unfunded option (``n_workers = 0``) is its community's reference runs."""
    choice = {c: (k if k >= 0 and funded(options[c][k]) else -1) for c, k in choice.items()}
    per = realisations(frame, choice)
    rows = []
    for community in portfolio.communities:
        o = choice[community.name]
        rows.append(_row(community.name, per[community.name], o >= 0 and funded(
            options[community.name][o])))
    common = None
    for table in per.values():
        common = table.index if common is None else common.intersection(table.index)
    total = sum(per[c.name].loc[common, ["groups_project_end", "groups_horizon", "cost_total",
                                          "groups_horizon_ref", "groups_project_end_ref",
                                          "cost_total_ref"]] for c in portfolio.communities)
    funded_names = [r["community"] for r in rows if r["funded"]]
    stalls = (sum(per[c].loc[common, "stalled"].fillna(0) for c in funded_names)
              if funded_names else pd.Series(0.0, index=common))
    total = total.assign(stalled=stalls)
    row = _row("total", total.assign(stalled=np.nan), True)
    iv = intervals.spread(stalls)
    row.update(stalled_communities=iv.mean, stalled_communities_low=iv.low,
               stalled_communities_high=iv.high,
               any_stall=float((stalls > 0).mean()) if len(stalls) else np.nan)
    share = stalls / max(len(funded_names), 1)
    iv = intervals.of_mean(share, "stalled")
    row.update(stall=iv.mean, stall_low=iv.low, stall_high=iv.high)
    cost = total["cost_total"]
    staff = sum(int(options[c.name][choice[c.name]].get("n_workers", 0))
                if choice[c.name] >= 0 else 0 for c in portfolio.communities)
    by_draw = total["groups_horizon"].groupby(level="draw").mean()
    checks = {"groups_robust": float(np.percentile(by_draw, portfolio.search.percentile)),
              "percentile": portfolio.search.percentile, "budget": portfolio.budget,
              "cost_p95": float(np.quantile(cost, 0.95)),
              "over_budget_share": float((cost > portfolio.budget).mean()),
              "within_budget": bool(np.quantile(cost, 0.95) <= portfolio.budget),
              "staff": portfolio.staff, "staff_used": staff,
              "within_staff": staff <= portfolio.staff, "realisations": int(len(common)),
              "funded": funded_names}
    rows.append(row)
    return pd.DataFrame(rows), checks


def fixed_choice(portfolio: Portfolio) -> tuple[dict[str, int], dict[str, list[dict[str, Any]]]]:
    """For a portfolio whose levers are all fixed: each community's one option (-1 when it
    is not funded) and the options by community."""
    choice, options = {}, {}
    for community in portfolio.communities:
        opts = community.options()
        options[community.name] = opts
        choice[community.name] = 0 if funded(opts[0]) else -1
    return choice, options


def domain_notes(portfolio: Portfolio, chosen: Mapping[str, Mapping[str, Any]]
                 ) -> dict[str, list[str]]:
    """Per community, the parameters of its allocation outside the calibrated domain
    (``domain.outside``; the posterior's draws lie within their searched ranges)."""
    from .domain import outside

    return {c.name: outside(portfolio.params(c, chosen[c.name])) for c in portfolio.communities
            if funded(chosen[c.name])}


# --- printing -----------------------------------------------------------------------------------

def _fmt(value: float, low: float, high: float, money: bool = False) -> str:
    if not math.isfinite(value):
        return "-"
    f = (lambda x: f"{x:,.0f}") if money else (lambda x: f"{x:,.1f}")
    if low == high:
        return f"{f(value)} (all)"
    return f"{f(value)} ({f(low)}–{f(high)})"


def _pct(value: float, low: float, high: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:.0%} [{low:.0%}, {high:.0%}]"


def markdown(table: pd.DataFrame, checks: Mapping[str, Any], portfolio: Portfolio,
             settings: Settings, options: Mapping[str, Sequence[Mapping[str, Any]]],
             choice: Mapping[str, int]) -> str:
    """The allocation's table in Markdown, with what its intervals are and the checks."""
    headers = ["community", "allocation", "groups at project end", "groups two years on",
               "added vs no programme", "cost (yuan)", "cost per additional group (yuan)",
               "stall chance"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, r in table.iterrows():
        name = r["community"]
        if name == "total":
            allocation = f"{checks['staff_used']} workers, {len(checks['funded'])} funded"
            stall = (f"{r['stalled_communities']:.1f} communities "
                     f"({r['stalled_communities_low']:.0f}–{r['stalled_communities_high']:.0f}); "
                     + _pct(r["stall"], r["stall_low"], r["stall_high"]) + " of funded")
        else:
            o = choice[name]
            allocation = describe_option(options[name][o]) if o >= 0 else NOT_FUNDED
            stall = _pct(r["stall"], r["stall_low"], r["stall_high"])
        cells = [f"**{name}**" if name == "total" else name, allocation,
                 _fmt(r["groups_project_end"], r["groups_project_end_low"],
                      r["groups_project_end_high"]),
                 _fmt(r["groups_horizon"], r["groups_horizon_low"], r["groups_horizon_high"]),
                 _fmt(r["added_groups"], r["added_groups_low"], r["added_groups_high"]),
                 _fmt(r["cost_total"], r["cost_total_low"], r["cost_total_high"], money=True),
                 r["icer_text"], stall]
        lines.append("| " + " | ".join(cells) + " |")
    n = checks["realisations"]
    lines.append(
        f"\nMean (2.5–97.5% of {n} realisations: {settings.draws} posterior draws from "
        f"`{_rel(portfolio.posterior)}` × {settings.seeds} seed(s) each, every community on the "
        "same draws with its own seeds) — what the portfolio could deliver, parameter and "
        "stochastic uncertainty together. Added groups: paired with the same community without "
        "a programme (`scenarios/no_programme.toml`) on the same seed. Cost per additional "
        "group: mean added cost over mean added groups alive two years on [95% percentile "
        "bootstrap over the paired realisations]. Stall chance: share of realisations with "
        "fewer than 10 new groups by week 52 [95% Wilson interval]. Costs: the model's own "
        "(worker hours, grants paid, training sessions, life meetings) to the horizon.")
    lines.append(
        f"\nBudget {portfolio.budget:,.0f} yuan: the 95th percentile of the total cost is "
        f"{checks['cost_p95']:,.0f} ({'within' if checks['within_budget'] else 'OVER'} "
        f"budget; {checks['over_budget_share']:.0%} of realisations over it). Staff: "
        f"{checks['staff_used']} of {checks['staff']} social workers "
        f"({'within' if checks['within_staff'] else 'OVER'}).")
    return "\n".join(lines)


def describe_option(option: Mapping[str, Any], lang: str = "en") -> str:
    """An option in a few words: ``3 workers × 20 h, 17 wk infiltration, 1,000-yuan grants``,
    then any other lever that differs from the baseline scenario's (``lang``: "en", "zh")."""
    zh = lang == "zh"
    if not funded(option):
        return "不资助" if zh else NOT_FUNDED
    n = int(option.get("n_workers", 0))
    hours = option.get("worker_hours", 20)
    parts = [f"{n} 名社工 × 每周 {hours:g} 小时" if zh
             else f"{n} worker{'s' if n != 1 else ''} × {hours:g} h"]
    if "infiltration_weeks" in option:
        weeks = option["infiltration_weeks"]
        parts.append(f"下渗 {weeks} 周" if zh else f"{weeks} wk infiltration")
    if "grant_size" in option:
        size = f"{option['grant_size']:,.0f}"
        parts.append(f"每笔资助 {size} 元" if zh else f"{size}-yuan grants")
    if "grant_budget" in option:
        budget = f"{option['grant_budget']:,.0f}"
        parts.append(f"资助总额 {budget} 元" if zh else f"{budget} for grants")
    shown = {"n_workers", "worker_hours", "infiltration_weeks", "grant_size", "grant_budget"}
    base = _baseline()
    for key, value in option.items():
        if key not in shown and base.get(key) != value:
            parts.append(f"{key} {value}")
    return ("，" if zh else ", ").join(parts)


@functools.cache
def _baseline() -> dict[str, Any]:
    return load_scenario("baseline").params


def _rel(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(Path(path).resolve().relative_to(Path.cwd()))
    return str(path)


def plain(value: Any) -> Any:
    """JSON-ready: numpy scalars as Python numbers, non-finite numbers as None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(plain(dict(payload)), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
