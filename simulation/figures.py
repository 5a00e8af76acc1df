"""Every figure a run reports, declared once: name, labels in English and Chinese, unit,
kind, valid bounds and format.

Two families live here: the per-run summary figures of ``simulation.outputs.summarise``
(``SUMMARY``) and the columns of the weekly series (``SERIES_FIGURES``, i.e.
``outputs.SERIES``). ``sprout run``, ``sprout compare``, the sweep report, the sensitivity analysis,
the notebooks and the workshop page take labels and formats from here; add a figure here
when you add one to the model's outputs.

Kinds:

- ``count``: a number of groups, residents, grants… (integer in one run; a mean over runs
  may have a fraction). Bounded below by 0.
- ``share``: a proportion in [0, 1], printed as a percentage.
- ``money``: yuan, printed with thousands separators.
- ``week``: a week number (week 1 is the project's first week).
- ``hours``: worker hours.
- ``rate``: a ratio or a level that is not the share of a count (contacts per year,
  members per group, mean trust on its 0–1 scale).
- ``category``: a name (the origin of the first group) or a flag.

This module imports nothing heavy (no pandas, no matplotlib; only the interest names of
``simulation.text``): the workshop page and the command line can import it cheaply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["count", "share", "money", "week", "hours", "rate", "category"]
KINDS: tuple[str, ...] = ("count", "share", "money", "week", "hours", "rate", "category")

MISSING = "-"
"""How a missing value (None, NaN) is printed."""


@dataclass(frozen=True)
class Figure:
    """One output figure. ``low``/``high`` are the values it can take (None: unbounded);
    ``fmt`` is the format spec of a value that is not a whole number (counts and weeks
    that are whole print as integers)."""

    name: str
    label_en: str
    label_zh: str
    unit: str
    kind: Kind
    low: float | None = 0.0
    high: float | None = None
    fmt: str = ",.1f"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"figure {self.name}: unknown kind {self.kind!r}")

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` ("en" or "zh")."""
        return self.label_zh if lang == "zh" else self.label_en

    @property
    def numeric(self) -> bool:
        return self.kind != "category"

    def format(self, value: Any) -> str:
        """``value`` as text for a table: shares as %, money with thousands separators,
        whole counts and weeks as integers, None and NaN as ``-``."""
        if value is None:
            return MISSING
        if self.kind == "category" or isinstance(value, str):
            return str(value)
        try:
            x = float(value)
        except (TypeError, ValueError):
            return str(value)
        if math.isnan(x):
            return MISSING
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        if self.kind in ("count", "week") and x.is_integer():
            return f"{int(x):,}"
        return f"{x:{self.fmt}}"

    def clip(self, value: float) -> float:
        """``value`` moved inside the figure's bounds (NaN stays NaN)."""
        if value != value:
            return value
        if self.low is not None and value < self.low:
            return float(self.low)
        if self.high is not None and value > self.high:
            return float(self.high)
        return value


def _count(name: str, en: str, zh: str, unit: str = "groups") -> Figure:
    return Figure(name, en, zh, unit, "count", 0.0, None, ",.1f")


def _share(name: str, en: str, zh: str) -> Figure:
    return Figure(name, en, zh, "share", "share", 0.0, 1.0, ".0%")


def _money(name: str, en: str, zh: str) -> Figure:
    return Figure(name, en, zh, "yuan", "money", 0.0, None, ",.0f")


def _week(name: str, en: str, zh: str) -> Figure:
    return Figure(name, en, zh, "week", "week", 1.0, None, ",.1f")


def _term(name: str, en: str, zh: str) -> Figure:
    return Figure(name, en, zh, "score", "rate", None, None, ",.2f")


def _hours(name: str, en: str, zh: str) -> Figure:
    return Figure(name, en, zh, "hours", "hours", 0.0, None, ",.1f")


SUMMARY: tuple[Figure, ...] = (
    _count("groups_week52", "Active groups at week 52", "第 52 周活跃自组织数"),
    _count("groups_project_end", "Active groups at project end", "项目结束时活跃自组织数"),
    _count("groups_horizon", "Active groups at horizon", "观察期末活跃自组织数"),
    _count("founded_project", "Groups founded during the project", "项目期间新成立的自组织"),
    _count("founded_infiltration", "Groups founded during infiltration",
           "下渗阶段新成立的自组织"),
    _week("first_new_group_week", "Week of the first new group", "第一支新自组织成立的周次"),
    Figure("first_new_group_origin", "Origin of the first new group",
           "第一支新自组织的来源", "", "category", None, None, ""),
    _week("first_resident_group_week", "Week of the first resident-initiated group",
          "第一支居民自发成立的自组织的周次"),
    _share("resident_initiated_share", "Share of new groups residents would have founded "
           "without the workers' own doing", "即使没有社工本人的推动也会成立的新自组织占比"),
    _share("resident_initiated_share_late", "Share resident-initiated, second half of the "
           "project", "项目后半程居民自发成立的占比"),
    _share("resident_initiated_share_infiltration", "Share resident-initiated among groups "
           "founded during the infiltration", "下渗阶段成立的自组织中居民自发的占比"),
    _share("resident_initiated_share_mobilisation", "Share resident-initiated among groups "
           "founded before the first demonstration",
           "首次示范分享之前成立的自组织中居民自发的占比"),
    _share("resident_initiated_share_demonstrations", "Share resident-initiated among groups "
           "founded after the first demonstration",
           "首次示范分享之后成立的自组织中居民自发的占比"),
    _share("founded_after_demos_share", "Share of new groups founded after the first "
           "demonstration", "首次示范分享之后成立的新自组织占比"),
    _count("founded_week52", "New groups founded by week 52", "第 52 周前新成立的自组织"),
    Figure("stalled", "Stalled: fewer than 10 new groups by week 52",
           "停滞：第 52 周前新成立的自组织不足 10 支", "share of runs", "share", 0.0, 1.0,
           ".0%"),
    _term("founding_drive", "Founders' score at founding: own drive (need x initiative)",
          "创始人成立时的得分：自身动力（需求×主动性）"),
    _term("founding_grant", "Founders' score at founding: the grant believed in",
          "创始人成立时的得分：相信能拿到的资金"),
    _term("founding_doubt_at_start", "Founders' score at founding: doubts before anyone "
          "answered them", "创始人成立时的得分：无人解答前的顾虑"),
    _term("founding_relief_workers", "Founders' score at founding: doubts workers answered "
          "in person", "创始人成立时的得分：社工当面解答消除的顾虑"),
    _term("founding_relief_announcements", "Founders' score at founding: doubts the training "
          "sessions' announcements removed", "创始人成立时的得分：培训会宣讲消除的顾虑"),
    _term("founding_relief_demonstrations", "Founders' score at founding: doubts "
          "demonstrators removed", "创始人成立时的得分：示范者消除的顾虑"),
    _term("founding_relief_peers", "Founders' score at founding: doubts acting neighbours "
          "removed", "创始人成立时的得分：行动的邻居消除的顾虑"),
    _term("founding_relief_groups", "Founders' score at founding: doubts settled in earlier "
          "groups", "创始人成立时的得分：原有队伍中消除的顾虑"),
    _share("own_drive_share", "Share of founders whose own drive alone passes the threshold "
           "once doubts are gone", "顾虑消除后仅凭自身动力即可跨过门槛的创始人占比"),
    _count("dissolved_project", "Groups dissolved during the project", "项目期间解散的自组织"),
    _count("dissolved_after_project", "Groups dissolved after the project",
           "项目结束后解散的自组织"),
    _count("registered", "Groups registered formally", "正式登记备案的自组织"),
    _count("founded_after_project", "Groups founded after the project",
           "项目结束后新成立的自组织"),
    _share("project_groups_dissolved_share", "Share of project-end groups dissolved by the "
           "horizon", "项目结束时的自组织到观察期末解散的比例"),
    _share("project_groups_registered_share", "Share of project-end groups registered by the "
           "horizon", "项目结束时的自组织到观察期末登记备案的比例"),
    _share("survival_rate", "Share of project-end groups alive at horizon",
           "项目结束时的自组织到观察期末仍在活动的比例"),
    _count("residents_engaged", "Residents in groups at project end",
           "项目结束时参加自组织的居民", "residents"),
    Figure("mean_group_size", "Mean group size at project end", "项目结束时自组织平均人数",
           "residents per group", "rate", 0.0, None, ",.1f"),
    _count("grants_awarded", "Micro-grants awarded", "获批的小额资金笔数", "grants"),
    _money("grants_paid", "Grant money paid (yuan)", "已拨付的小额资金（元）"),
    _money("cost_total", "Total cost (yuan)", "总成本（元）"),
    _money("cost_per_group_project_end", "Cost per group alive at project end (yuan)",
           "项目结束时每支活跃自组织的成本（元）"),
    _money("cost_per_group_horizon", "Cost per group alive at horizon (yuan)",
           "观察期末每支活跃自组织的成本（元）"),
    _hours("hours_per_group_early", "Accompaniment hours per group, first project quarter "
           "with groups", "有自组织后项目首个四分之一期内每支自组织的陪伴工时"),
    _hours("hours_per_group_late", "Accompaniment hours per group, last project quarter",
           "项目最后四分之一期内每支自组织的陪伴工时"),
    Figure("contacts_per_year_after", "Worker contacts per year after the project",
           "项目结束后社工每年的联系次数", "contacts per year", "rate", 0.0, None, ",.1f"),
    _share("mutual_aid_share_infiltration", "Share of active groups for mutual help at the "
           "end of the infiltration",
           "下渗阶段结束时以互助为目的的活跃自组织占比"),
    _share("affairs_share_infiltration", "Share of active groups for the community's affairs "
           "at the end of the infiltration",
           "下渗阶段结束时关注社区事务的活跃自组织占比"),
    _share("mutual_aid_share_end", "Share of active groups for mutual help at project end",
           "项目结束时以互助为目的的活跃自组织占比"),
    _share("affairs_share_end", "Share of active groups for the community's affairs at "
           "project end",
           "项目结束时关注社区事务的活跃自组织占比"),
    _share("mutual_aid_share_horizon", "Share of active groups for mutual help at horizon",
           "观察期末以互助为目的的活跃自组织占比"),
    _share("affairs_share_horizon", "Share of active groups for the community's affairs at "
           "horizon",
           "观察期末关注社区事务的活跃自组织占比"),
    _week("first_life_meeting_week", "Week of the first life meeting", "第一次自组织生活会的周次"),
    _week("first_demonstration_week", "Week of the first demonstration",
          "第一次示范分享的周次"),
)
"""The per-run figures of ``simulation.outputs.summarise``, in its order."""

_ACTIVITIES: dict[str, tuple[str, str]] = {
    "infiltration": ("infiltration visits", "下渗走访"),
    "qa": ("private Q&A", "私下答疑"),
    "pioneer": ("pioneer support", "陪伴先行者"),
    "accompaniment": ("accompanying groups", "陪伴自组织"),
    "meetings": ("training and life meetings", "培训会与生活会"),
}


def _interests() -> list[tuple[str, str, str]]:
    from .parameters import INTEREST_CATEGORIES
    from .text import INTEREST_NAMES

    return [(k, INTEREST_NAMES["en"][k], INTEREST_NAMES["zh"][k]) for k in INTEREST_CATEGORIES]


def _level(name: str, en: str, zh: str) -> Figure:
    return Figure(name, en, zh, "level 0-1", "rate", 0.0, 1.0, ".2f")


SERIES_FIGURES: tuple[Figure, ...] = (
    Figure("week", "Week", "周次", "week", "week", 0.0, None, ",.0f"),
    Figure("in_project", "Project running", "项目进行中", "", "category", None, None, ""),
    _count("latent", "Residents latent", "潜在状态的居民", "residents"),
    _count("aware", "Residents aware", "知晓状态的居民", "residents"),
    _count("trusting", "Residents trusting", "信任状态的居民", "residents"),
    _count("acting", "Residents acting in groups", "参与自组织的居民", "residents"),
    _count("leading", "Residents leading groups", "带领自组织的居民", "residents"),
    _count("active_groups", "Active groups", "活跃自组织数"),
    _count("founded", "Groups founded so far", "累计新成立的自组织"),
    _count("dissolved", "Groups dissolved so far", "累计解散的自组织"),
    _count("registered", "Groups registered formally", "正式登记备案的自组织"),
    *(_count(f"groups_{key}", f"Active {en} groups", f"活跃的{zh}类自组织")
      for key, en, zh in _interests()),
    _money("grants_paid", "Grant money paid (yuan)", "已拨付的小额资金（元）"),
    _count("grants_awarded", "Micro-grants awarded", "获批的小额资金笔数", "grants"),
    _money("budget_left", "Grant budget left (yuan)", "剩余的小额资金预算（元）"),
    *(_hours(f"hours_{key}", f"Worker hours this week: {en}", f"本周社工工时：{zh}")
      for key, (en, zh) in _ACTIVITIES.items()),
    _hours("hours_per_group", "Accompaniment hours per active group this week",
           "本周每支活跃自组织的陪伴工时"),
    _level("mean_trust", "Mean trust in the workers", "居民对社工的平均信任"),
    _level("mean_doubt", "Mean doubt", "居民的平均顾虑"),
    _level("doubt_reimbursement", "Doubt: will the money be reimbursed",
           "顾虑：资金能否报销"),
    _level("doubt_legitimacy", "Doubt: is a group allowed", "顾虑：成立队伍是否合规"),
    _level("doubt_direction", "Doubt: what should a group do", "顾虑：队伍该做些什么"),
    _share("buildings_reached", "Share of buildings the workers have reached",
           "社工已走访到的楼栋占比"),
    _level("infiltration_depth", "Infiltration depth (mean over buildings)",
           "下渗深度（各楼栋平均）"),
    _share("needs_known", "Share of residents whose needs the workers know",
           "社工了解其需求的居民占比"),
    _money("cost", "Cost so far (yuan)", "累计成本（元）"),
    _count("contacts", "Worker contacts after the project so far",
           "项目结束后社工的累计联系次数", "contacts"),
    _count("groups_mutual_aid", "Active groups for mutual help", "以互助为目的的活跃自组织"),
    _count("groups_affairs", "Active groups for the community's affairs",
           "关注社区事务的活跃自组织"),
)
"""The columns of the weekly series (``simulation.outputs.SERIES``), in its order."""

HEADLINE: tuple[str, ...] = (
    "groups_week52",
    "groups_horizon",
    "survival_rate",
    "registered",
    "dissolved_after_project",
    "cost_per_group_horizon",
    "residents_engaged",
)
"""The figures ``sprout run``, the sweep report and the notebooks lead with."""

RUN_SUMMARY: tuple[str, ...] = (
    *HEADLINE,
    "founded_project",
    "founded_after_project",
    "project_groups_dissolved_share",
    "project_groups_registered_share",
    "stalled",
    "first_new_group_week",
    "resident_initiated_share",
    "own_drive_share",
    "cost_per_group_project_end",
    "contacts_per_year_after",
)
"""The figures ``sprout run`` prints."""

COMPARE: tuple[str, ...] = (
    "groups_week52",
    "groups_horizon",
    "survival_rate",
    "registered",
    "dissolved_after_project",
    "resident_initiated_share",
    "cost_per_group_horizon",
)
"""The figures ``sprout compare`` sets side by side."""

_SUMMARY_BY_NAME = {f.name: f for f in SUMMARY}
_SERIES_BY_NAME = {f.name: f for f in SERIES_FIGURES}

FIGURES: tuple[Figure, ...] = SUMMARY + tuple(
    f for f in SERIES_FIGURES if f.name not in _SUMMARY_BY_NAME
)
"""Every figure once: the summary figures, then the series columns that are not also a
summary figure (``registered``, ``grants_paid`` and ``grants_awarded`` are both; the same
name means the same quantity, counted per run or up to a week)."""


def by_name(name: str, series: bool = False) -> Figure:
    """The figure called ``name`` (a series column when ``series`` is true and the name is
    one); ``KeyError`` naming the known figures if there is none."""
    if series and name in _SERIES_BY_NAME:
        return _SERIES_BY_NAME[name]
    if name in _SUMMARY_BY_NAME:
        return _SUMMARY_BY_NAME[name]
    if name in _SERIES_BY_NAME:
        return _SERIES_BY_NAME[name]
    raise KeyError(f"no output figure {name!r}; known: {', '.join(f.name for f in FIGURES)}")


def label(name: str, lang: str = "en") -> str:
    """The label of figure ``name`` in ``lang``, or the name itself if it is no figure."""
    try:
        return by_name(name).label(lang)
    except KeyError:
        return name


def format(name: str, value: Any) -> str:  # noqa: A001 - the registry's verb
    """``value`` of figure ``name`` as text (see ``Figure.format``); unknown names get a
    plain number format."""
    try:
        return by_name(name).format(value)
    except KeyError:
        return Figure(name, name, name, "", "rate", None, None, ",.3g").format(value)
