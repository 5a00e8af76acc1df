"""A foundation's portfolio: the portfolio file, read and checked.

A portfolio file (TOML, documented in docs/portfolio.md) names the communities — each with
its own conditions (residents or a network file, committee support, neighbour familiarity,
keen residents, any other community parameter of the registry the calibration did not
choose) — the programme's levers per community, fixed or left to the search (a list of
values; ``n_workers = 0``: not funded), the total budget in yuan, the social workers
available and the horizon. Every value is checked by the parameter registry's own rule; a
bad file is refused in one line naming the file, the key and what is allowed
(``PortfolioError``, a ``ScenarioError``), before anything runs or is written.
``portfolio_runs`` runs a portfolio's communities, ``portfolio_figures`` says what an
allocation buys, ``portfolio_search`` searches the allocations.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..parameters import BY_NAME
from ..scenario import EXPERIMENTS_DIR, Scenario, ScenarioError, check_name, check_seed, check_value
from ..scenario import load as load_scenario

LEVERS: tuple[str, ...] = (
    "n_workers", "worker_hours", "infiltration_weeks", "grant_size", "grant_budget",
    "n_demonstrators", "life_meetings", "life_meeting_interval_weeks", "demonstrations",
    "training_sessions", "pioneer_support", "private_qa", "post_project_help",
    "grid_worker_accompaniment",
)
"""What a foundation chooses per community (registry parameters of the programme)."""

CONDITION_SECTIONS = ("community", "residents", "groups")
"""A community's conditions: any parameter of these registry sections, except those the
calibration draws (their values come from the posterior)."""

NOT_FUNDED = "not funded"
"""An option with ``n_workers = 0``: the community runs without a programme (its runs are
the no-programme reference)."""

REFERENCE = "no_programme"
STAGES = {"evaluate": 1, "search": 2, "recheck": 3}
"""Seed streams: the search, its fresh-seed re-check and an evaluation never share seeds."""

MAX_COMMUNITIES = 1000
MAX_OPTIONS = 256
"""Options one community can offer the search (the product of its lever lists)."""
MAX_BUDGET = 1e10
TOP_LEVEL = ("name", "description", "illustrative", "scenario", "seed", "portfolio",
             "evaluation", "search", "levers", "community")
POSTERIOR = EXPERIMENTS_DIR / "calibration" / "abc"


class PortfolioError(ScenarioError):
    """A portfolio file that cannot be used: file, key and what is allowed, in one line."""


@dataclass(frozen=True)
class Settings:
    """How many posterior draws and seeds per draw an evaluation (or a search) runs."""

    draws: int
    seeds: int


@dataclass(frozen=True)
class SearchSettings:
    """The search's sizes: draws × seeds per option, the optimiser's evaluations, and the
    fresh-seed re-check of the frontier's candidates."""

    draws: int = 5
    seeds: int = 1
    nfe: int = 3000
    recheck_draws: int = 6
    recheck_seeds: int = 1
    candidates: int = 6
    percentile: int = 10
    max_stall_risk: float = 1.0
    """At most this stall risk (the robust share of funded communities that stall): a
    constraint of the search and of the recommendation; 1 leaves it free."""


@dataclass(frozen=True)
class Community:
    """One community: its conditions, its fixed levers and the levers left to the search."""

    name: str
    conditions: dict[str, Any]
    levers: dict[str, Any]
    choices: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def options(self) -> list[dict[str, Any]]:
        """Every allocation the search may give this community (levers fixed and chosen), in
        a fixed order; all options with ``n_workers = 0`` collapse into one, not funded."""
        names = list(self.choices)
        out: list[dict[str, Any]] = []
        seen_unfunded = False
        for combo in itertools.product(*(self.choices[n] for n in names)):
            option = {**self.levers, **dict(zip(names, combo))}
            if funded(option):
                out.append(option)
            elif not seen_unfunded:
                seen_unfunded = True
                out.insert(0, {**option, "n_workers": 0})
        return out

    @property
    def fixed(self) -> bool:
        return not self.choices


def funded(option: Mapping[str, Any]) -> bool:
    return int(option.get("n_workers", 1)) > 0


@dataclass(frozen=True)
class Portfolio:
    """A checked portfolio file."""

    name: str
    description: str
    illustrative: bool
    path: str
    file_sha256: str
    base: Scenario
    seed: int
    budget: float
    staff: int
    project_weeks: int
    horizon_weeks: int
    evaluation: Settings
    search: SearchSettings
    posterior: Path
    communities: tuple[Community, ...]

    def params(self, community: Community, option: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter of ``community`` under ``option`` (no posterior draw)."""
        return {**self.base.params, "project_weeks": self.project_weeks,
                "horizon_weeks": self.horizon_weeks, **community.conditions, **option}

    @property
    def searchable(self) -> bool:
        return any(not c.fixed for c in self.communities)

    def staff_needed(self, options: Mapping[str, Mapping[str, Any]]) -> int:
        return sum(int(options[c.name].get("n_workers", 0)) for c in self.communities)


# --- reading and checking a portfolio file ----------------------------------------------------

def _fail(source: str, key: str | None, message: str) -> PortfolioError:
    return PortfolioError(source, key, message)


def _integer(source: str, key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(source, key, f"expected an integer from {low:,} to {high:,}, got {value!r}")
    return value


def _number(source: str, key: str, value: Any, low: float, high: float) -> float:
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or not low < value <= high):
        raise _fail(source, key, f"expected a number more than {low:g} and at most {high:g}, "
                    f"got {value!r}")
    return float(value)


def _table(source: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, key, f"expected a table, got {value!r}")
    return value


def _unknown(source: str, key: str, allowed: Sequence[str]) -> PortfolioError:
    import difflib

    close = difflib.get_close_matches(key.rsplit(".", 1)[-1], allowed, n=2)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return _fail(source, key, f"unknown key{hint} allowed: {', '.join(allowed)}")


def _levers(source: str, where: str, table: dict[str, Any]
            ) -> tuple[dict[str, Any], dict[str, tuple[Any, ...]]]:
    """A levers table: fixed values and the lists left to the search, each value checked."""
    fixed: dict[str, Any] = {}
    choices: dict[str, tuple[Any, ...]] = {}
    for name, value in table.items():
        key = f"{where}.{name}"
        if name not in LEVERS:
            what = ("a community condition: put it in the [[community]] table itself"
                    if name in BY_NAME and BY_NAME[name].section in CONDITION_SECTIONS
                    else "not a lever")
            raise _fail(source, key, f"{what}; levers: {', '.join(LEVERS)}")
        if isinstance(value, list):
            if not 1 <= len(value) <= MAX_OPTIONS:
                raise _fail(source, key, f"expected a list of 1 to {MAX_OPTIONS} values for "
                            f"the search, got {len(value)}")
            checked = tuple(check_value(source, key, name, v, written=True) for v in value)
            if len(set(map(repr, checked))) < len(checked):
                raise _fail(source, key, "a value is listed twice; list each option once")
            if len(checked) == 1:
                fixed[name] = checked[0]
            else:
                choices[name] = checked
        elif isinstance(value, dict):
            raise _fail(source, key, "expected a value or a list of values, not a table")
        else:
            fixed[name] = check_value(source, key, name, value, written=True)
    return fixed, choices


def _conditions(source: str, where: str, table: dict[str, Any], folder: Path) -> dict[str, Any]:
    from .calibrate import FREE

    out: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{where}.{name}"
        if name in ("name", "levers"):
            continue
        if name in FREE:
            raise _fail(source, key, "calibrated: the posterior's draws set it; a community "
                        "condition is one the calibration did not choose")
        if name in LEVERS:
            raise _fail(source, key, "a lever: put it in [community.levers] (or [levers] "
                        "for every community)")
        if name not in BY_NAME or BY_NAME[name].section not in CONDITION_SECTIONS:
            allowed = [p for p, d in BY_NAME.items()
                       if d.section in CONDITION_SECTIONS and p not in FREE]
            raise _unknown(source, key, ["name", "levers", *allowed])
        if isinstance(value, (dict, list)):
            raise _fail(source, key, f"expected a value; {BY_NAME[name].allowed()}")
        value = check_value(source, key, name, value, written=True)
        if name == "network_file" and value:
            path = Path(value) if Path(value).is_absolute() else folder / value
            value = str(path)
        out[name] = value
    if out.get("network_file") and "n_residents" in out:
        raise _fail(source, f"{where}.n_residents", "give n_residents or network_file, not "
                    "both: a network decides the number of residents")
    return out


def load(name: str | Path) -> Portfolio:
    """Read and check a portfolio file (a path, or a name in ``experiments/``); a
    ``PortfolioError`` naming the file, the key and what is allowed otherwise."""
    try:
        return _load(name)
    except PortfolioError:
        raise
    except ScenarioError as err:
        raise PortfolioError(err.source, err.key, err.message) from None


def _load(name: str | Path) -> Portfolio:
    from ..scenario import find_file, read_toml

    path = find_file(name, EXPERIMENTS_DIR, "portfolio").resolve()
    source = str(path)
    data, raw = read_toml(path)
    for key in data:
        if key not in TOP_LEVEL:
            if key in BY_NAME:
                raise _fail(source, key, "put a lever in [levers] and a community condition "
                            "in its [[community]] table")
            raise _unknown(source, key, TOP_LEVEL)
    for key in ("name", "description", "scenario"):
        if key in data and not isinstance(data[key], str):
            raise _fail(source, key, f"expected a string, got {data[key]!r}")
    if "illustrative" in data and not isinstance(data["illustrative"], bool):
        raise _fail(source, "illustrative", f"expected true or false, got "
                    f"{data['illustrative']!r}")
    name_ = check_name(source, "name", data.get("name", path.stem))
    seed = check_seed(source, "seed", data.get("seed", 1))
    try:
        base = load_scenario(data.get("scenario", "baseline"))
    except ScenarioError as err:
        raise _fail(source, "scenario", err.message) from None

    portfolio = _table(source, "portfolio", data.get("portfolio"))
    allowed = ("budget", "staff", "project_weeks", "horizon_weeks", "posterior")
    for key in portfolio:
        if key not in allowed:
            raise _unknown(source, f"portfolio.{key}", allowed)
    for key in ("budget", "staff"):
        if key not in portfolio:
            raise _fail(source, f"portfolio.{key}", "missing: " + (
                "the total budget in yuan, over the project and the horizon"
                if key == "budget" else "the social workers available during the project"))
    budget = _number(source, "portfolio.budget", portfolio["budget"], 0, MAX_BUDGET)
    staff = _integer(source, "portfolio.staff", portfolio["staff"], 0, 100_000)
    weeks = {k: check_value(source, f"portfolio.{k}", k, portfolio.get(k, base.params[k]),
                            written=True) for k in ("project_weeks", "horizon_weeks")}
    posterior = Path(portfolio.get("posterior", str(POSTERIOR)))
    if not isinstance(portfolio.get("posterior", ""), str):
        raise _fail(source, "portfolio.posterior", "expected a folder (a string)")
    if not posterior.is_absolute():
        posterior = (path.parent / posterior if (path.parent / posterior).exists()
                     else Path.cwd() / posterior)
    if not (posterior / "particles.csv").is_file():
        raise _fail(source, "portfolio.posterior", f"{posterior} holds no posterior "
                    "(particles.csv); run `sprout calibrate --abc --store`")

    evaluation = _settings(source, "evaluation", data.get("evaluation", {}),
                           {"draws": 10, "seeds": 2})
    search = _search(source, data.get("search", {}))

    levers_fixed, levers_choices = _levers(source, "levers", _table(source, "levers",
                                                                     data.get("levers", {})))
    raw_communities = data.get("community")
    if not isinstance(raw_communities, list) or not raw_communities:
        raise _fail(source, "community", "expected at least one [[community]] table")
    if len(raw_communities) > MAX_COMMUNITIES:
        raise _fail(source, "community", f"{len(raw_communities):,} communities; at most "
                    f"{MAX_COMMUNITIES:,}")
    communities: list[Community] = []
    names: set[str] = set()
    for index, entry in enumerate(raw_communities):
        where = f"community[{index + 1}]"
        entry = _table(source, where, entry)
        if "name" not in entry:
            raise _fail(source, f"{where}.name", "missing: name each community")
        cname = check_name(source, f"{where}.name", entry["name"])
        if cname in names:
            raise _fail(source, f"{where}.name", f"{cname!r} is named twice; name each "
                        "community once")
        names.add(cname)
        where = f"community[{cname}]"
        conditions = _conditions(source, where, entry, path.parent)
        own_fixed, own_choices = _levers(source, f"{where}.levers",
                                         _table(source, f"{where}.levers",
                                                entry.get("levers", {})))
        fixed = {**{k: v for k, v in levers_fixed.items() if k not in own_choices}, **own_fixed}
        choices = {**{k: v for k, v in levers_choices.items() if k not in own_fixed},
                   **own_choices}
        community = Community(cname, conditions, fixed, choices)
        count = math.prod(len(v) for v in choices.values())
        if count > MAX_OPTIONS:
            raise _fail(source, f"{where}.levers", f"{count:,} combinations of the levers left "
                        f"to the search; at most {MAX_OPTIONS}")
        communities.append(community)
    result = Portfolio(name_, data.get("description", ""), bool(data.get("illustrative", False)),
                       source, hashlib.sha256(raw).hexdigest(), base, seed, budget, staff,
                       int(weeks["project_weeks"]), int(weeks["horizon_weeks"]), evaluation,
                       search, posterior, tuple(communities))
    _preflight(result)
    least = sum(min(int(o.get("n_workers", 0)) for o in c.options()) for c in result.communities)
    if least > staff:
        raise _fail(source, "portfolio.staff", f"the communities need at least {least} social "
                    f"workers at once; {staff} are available (give fewer n_workers, or list 0 "
                    "among a community's n_workers to let the search leave it unfunded)")
    return result


def _settings(source: str, table: str, raw: Any, defaults: dict[str, int]) -> Settings:
    values = _table(source, table, raw)
    for key in values:
        if key not in defaults:
            raise _unknown(source, f"{table}.{key}", list(defaults))
    checked = {k: _integer(source, f"{table}.{k}", values.get(k, d), 1, 10_000)
               for k, d in defaults.items()}
    return Settings(**checked)


def _search(source: str, raw: Any) -> SearchSettings:
    values = _table(source, "search", raw)
    defaults = SearchSettings().__dict__
    for key in values:
        if key not in defaults:
            raise _unknown(source, f"search.{key}", list(defaults))
    ranges = {"nfe": (100, 1_000_000), "percentile": (1, 50), "candidates": (1, 50)}
    checked: dict[str, Any] = {
        k: _integer(source, f"search.{k}", values.get(k, d), *ranges.get(k, (1, 10_000)))
        for k, d in defaults.items() if k != "max_stall_risk"}
    cap = values.get("max_stall_risk", 1.0)
    if (isinstance(cap, bool) or not isinstance(cap, (int, float)) or not math.isfinite(cap)
            or not 0 <= cap <= 1):
        raise _fail(source, "search.max_stall_risk", f"expected a share from 0 to 1, got "
                    f"{cap!r}")
    return SearchSettings(**checked, max_stall_risk=float(cap))


def _preflight(portfolio: Portfolio) -> None:
    """Every option of every community can run (sizes, networks), checked before anything
    runs: a ``PortfolioError`` naming the community otherwise."""
    from .. import limits
    from ..inputs import check_network

    for community in portfolio.communities:
        for option in community.options():
            params = portfolio.params(community, option)
            try:
                if params.get("network_file"):
                    limits.check_run(params, *check_network(params["network_file"]))
                else:
                    limits.check_run(params)
            except (ValueError, OSError) as err:
                raise _fail(portfolio.path, f"community[{community.name}]",
                            " ".join(str(err).split())) from None
            break  # sizes do not depend on the levers
