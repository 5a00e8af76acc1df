"""The model's parameters: one definition each, used everywhere.

Every number a rule uses is a field of :class:`Params`, with a default, unit, allowed range,
meaning and source (the case, a census or paper, the calibration, or an assumption). The
model reads a frozen ``Params``; scenario files, ``--set``, sweeps, the workshop sliders and
the metadata saved beside every result are all checked against and described by it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ..registry import Parameter
from .costs import CostsParams

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


@dataclass(frozen=True, slots=True)
class Params(CostsParams):
    """Every parameter of one run, typed and checked (see ``Params.of``).

    The fields are declared section by section in this package's modules (time, community,
    residents, workers, programme, groups, costs), each with its unit, range, meaning and
    source; ``PARAMETERS`` lists them in that order.
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


def _described(name: str, info: Parameter) -> Parameter:
    return replace(info, name=name)


PARAMETERS: tuple[Parameter, ...] = tuple(
    _described(f.name, f.metadata["parameter"]) for f in fields(Params)
)
"""Every parameter, in the order of its section."""

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
