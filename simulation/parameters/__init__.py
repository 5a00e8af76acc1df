"""The model's parameters: one definition each, used everywhere.

Every number a rule uses is a row of one section's table (this package's modules: time,
community, residents, workers, programme, groups, costs), with its type, default, unit,
allowed range, meaning and source (the case, a census or paper, the calibration, or an
assumption). ``PARAMETERS`` lists the rows in that order; :class:`Params`, the frozen object
the model reads, has a field per row. Scenario files, ``--set``, sweeps, the workshop
sliders and the metadata saved beside every result are all checked against and described
by them.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from ..registry import Parameter, parameters_dataclass, table
from .community import Community
from .costs import Costs
from .groups import Groups
from .programme import Programme
from .residents import Residents
from .time import Time
from .workers import Workers

INTEREST_CATEGORIES: tuple[str, ...] = (
    "dance",
    "singing",
    "qipao",
    "photography",
    "repairs",
    "elder_visits",
    "neighbourhood_affairs",
)
"""Interest types of residents' latent needs: recreation and culture, mutual aid, affairs."""

INTEREST_SHARES: tuple[float, ...] = (0.2, 0.17, 0.1, 0.08, 0.15, 0.18, 0.12)
"""Relative frequency of each interest (assumption): recreation is the most common need,
neighbourhood affairs the rarest. Part of the categories' definition, like their names."""

INTEREST_KIND: dict[str, str] = {
    "dance": "recreation",
    "singing": "recreation",
    "qipao": "recreation",
    "photography": "recreation",
    "repairs": "mutual_aid",
    "elder_visits": "mutual_aid",
    "neighbourhood_affairs": "affairs",
}


@parameters_dataclass
class Params(Time, Community, Residents, Workers, Programme, Groups, Costs):
    """Every parameter of one run, typed and checked (see ``Params.of``): a frozen, slotted
    dataclass with one field per row of the section tables it is declared on, section
    after section in this order (``p.need_mean`` is ``Residents``' row ``need_mean``).
    """

    @classmethod
    def of(cls, values: dict[str, Any] | None = None) -> Params:
        """Defaults updated with ``values``, each checked; ``ValueError`` names a bad key."""
        return cls(**validate(values or {}))

    def with_values(self, **values: Any) -> Params:
        """A copy with some values changed (checked)."""
        return replace(self, **validate(values))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PARAMETERS: tuple[Parameter, ...] = tuple(
    row for section in Params.__bases__ for row in table(section)
)
"""Every parameter, section after section, each section's in the order of its table."""

BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}
SECTIONS_ORDER: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMETERS))


def defaults() -> dict[str, Any]:
    """All parameters at their defaults."""
    return {p.name: p.default for p in PARAMETERS}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Check a mapping of parameter values; raise ``ValueError`` naming the bad key."""
    checked = {}
    for key, value in values.items():
        if key not in BY_NAME:
            raise ValueError(f"unknown parameter {key!r}")
        try:
            checked[key] = BY_NAME[key].check(value)
        except ValueError as err:
            raise ValueError(f"{key}: {err}") from None
    return checked
