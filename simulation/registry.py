"""What a model parameter is, and how the parameters are declared: one table per section.

A section of ``simulation.parameters`` is a table written as a class body, one row per
parameter, each row its name, its type and :func:`P`, every column named::

    class Residents(Section, name="residents"):
        need_mean: float = P(
            default=0.5, unit="intensity 0-1", low=0.05, high=0.95,
            meaning="Mean intensity of residents' latent need.")

The section's name is given once, on the class; :func:`table` hands its rows back as
:class:`Parameter` descriptors (name and section filled in), in the order written.
:func:`parameters_dataclass` turns a class whose bases are such tables into one frozen,
slotted dataclass with a field per row (``simulation.parameters.Params``). This module also
holds the checks every entry point (scenario files, ``--set``, sweeps, sliders) shares.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field, replace
from typing import Any, dataclass_transform

SOURCES = ("case", "literature", "census", "calibration", "assumption")
"""Where a default comes from; a source may add detail in brackets, e.g. "case (4 months)"."""


@dataclass(frozen=True)
class Parameter:
    """One model parameter: what it is, its default, unit, range and where the value comes from."""

    name: str
    default: Any
    kind: type  # int, float, bool or str
    unit: str
    meaning: str
    section: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    source: str = "assumption"
    label_en: str = ""  # short label for controls and tables; "{value}" shows the value
    label_zh: str = ""
    control: tuple[float, float, float] | None = None  # slider low, high, step

    def label(self, lang: str = "en") -> str:
        """The parameter's label in ``lang``, falling back to its name."""
        text = self.label_zh if lang == "zh" else self.label_en
        return text or self.label_en or self.name

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and documentation."""
        if self.kind is bool:
            return "true or false"
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind is str:
            return "a string"
        word = "an integer" if self.kind is int else "a number"
        return f"{word} from {_fmt(self.low)} to {_fmt(self.high)}"

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ``ValueError``.
        A numpy scalar (``np.int64(25)``, ``np.bool_(True)``: what EMA and arrays hand
        out) counts as the Python value it holds."""
        if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
            value = value.item()
        if self.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            return value
        if self.kind is str:
            if not isinstance(value, str):
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            if self.choices is not None and value not in self.choices:
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected {self.allowed()}, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected {self.allowed()}, got {value!r}")
        if self.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise ValueError(f"expected {self.allowed()}, got {value!r}")
        return value

    def parse(self, text: str) -> Any:
        """Convert command-line text (``--set key=value``) and check it."""
        raw: Any = text
        if self.kind is bool:
            lowered = text.strip().lower()
            if lowered in ("true", "yes", "on", "1"):
                raw = True
            elif lowered in ("false", "no", "off", "0"):
                raw = False
        elif self.kind in (int, float):
            try:
                number = float(text)
            except (ValueError, OverflowError):
                number = None
            if number is not None and math.isfinite(number):
                raw = number
                if self.kind is int and number.is_integer():
                    raw = int(number)
            elif number is not None:
                raw = number  # refused by check() as not finite
        return self.check(raw)


def _fmt(x: float | None) -> str:
    if x is None:
        return "unbounded"
    return f"{x:g}"


def P(  # noqa: N802 - a table's column header, short on purpose
    *,
    default: Any,
    meaning: str,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] | None = None,
    source: str = "assumption",
    label_en: str = "",
    label_zh: str = "",
    control: tuple[float, float, float] | None = None,
) -> Any:
    """One row of a section's table: the parameter's default and what describes it, every
    column named (its name and section come from the table). Typed ``Any`` so that
    ``x: float = P(default=0.5, ...)`` reads as the field it becomes."""
    return Parameter(
        name="", default=default, kind=type(default), unit=unit, meaning=meaning, section="",
        low=low, high=high, choices=choices, source=source, label_en=label_en,
        label_zh=label_zh, control=control,
    )


KINDS: dict[str, type] = {"int": int, "float": float, "bool": bool, "str": str}
"""The types a parameter can have, by the name an annotation gives them."""


def _rows(cls: type, section: str) -> tuple[Parameter, ...]:
    """The table ``cls`` declares, checked: every row annotated with its default's type and
    its default allowed by its own range; the rows leave the class (only their types stay)."""
    where = f"{cls.__qualname__} (section {section!r})"
    rows = []
    for key, annotation in inspect.get_annotations(cls).items():
        row = cls.__dict__.get(key)
        if not isinstance(row, Parameter):
            raise TypeError(f"{where}: {key} is not declared as {key}: TYPE = P(default=..., ...)")
        kind = KINDS.get(annotation, annotation) if isinstance(annotation, str) else annotation
        if kind is not row.kind:
            raise TypeError(f"{where}: {key} is annotated {annotation} but its default "
                            f"{row.default!r} is a {row.kind.__name__}")
        row = replace(row, name=key, section=section)
        if row.source.split(" (")[0] not in SOURCES:
            raise ValueError(f"{where}: {key}'s source {row.source!r} is none of {SOURCES} "
                             "(detail may follow in brackets)")
        try:
            row.check(row.default)
        except ValueError as err:
            raise ValueError(f"{where}: {key}'s default is not allowed: {err}") from None
        rows.append(row)
        delattr(cls, key)
    stray = [k for k, v in vars(cls).items() if isinstance(v, Parameter)]
    if stray:
        raise TypeError(f"{where}: {', '.join(stray)} declared without a type annotation")
    return tuple(rows)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(P,))
class SectionType(type):
    """Class of the section tables and of ``Params``: ``name=`` makes a class body a table
    (its rows kept for :func:`table`, the class left with only their typed names and empty
    ``__slots__``, so that the slotted dataclass built on the tables has no ``__dict__``).
    Type checkers read the tables as dataclass fields (PEP 681)."""

    def __new__(mcls, cls_name: str, bases: tuple[type, ...], namespace: dict[str, Any],
                name: str | None = None) -> SectionType:
        if name is None:  # Params, or a class the dataclass machinery remakes
            return super().__new__(mcls, cls_name, bases, namespace)
        chained = [b.__qualname__ for b in bases if b is not Section]
        if chained:
            raise TypeError(f"section {name!r} ({cls_name}) builds on {', '.join(chained)}: a "
                            "section's table stands alone (class X(Section, name=...))")
        namespace.setdefault("__slots__", ())
        cls = super().__new__(mcls, cls_name, bases, namespace)
        cls._table = _rows(cls, name)  # type: ignore[attr-defined]
        return cls


class Section(metaclass=SectionType):
    """Base of a section's table: ``class Residents(Section, name="residents"): ...``."""

    __slots__ = ()


def table(section: type) -> tuple[Parameter, ...]:
    """The rows a section class declares, in order (not those of its bases)."""
    rows = vars(section).get("_table")
    if rows is None:
        raise TypeError(f"{section.__qualname__} is not a section table (no name=...)")
    return rows


def parameters_dataclass[T](cls: type[T]) -> type[T]:
    """Make ``cls``, declared with section tables as its bases, one frozen, slotted dataclass
    with a field per row of those tables, section after section in the order of the bases;
    each field's metadata ``"parameter"`` is its row."""
    rows = [row for base in cls.__bases__ for row in table(base)]
    seen: dict[str, str] = {}
    for row in rows:
        if row.name in seen:
            raise TypeError(f"parameter {row.name!r} declared in sections {seen[row.name]!r} "
                            f"and {row.section!r}")
        seen[row.name] = row.section
    cls.__annotations__ = {row.name: row.kind for row in rows}
    for row in rows:
        setattr(cls, row.name, field(default=row.default, metadata={"parameter": row}))
    return dataclass(frozen=True, slots=True, kw_only=True)(cls)
