"""What a model parameter is: name, default, unit, range, meaning, source, labels.

``simulation.parameters`` declares the model's parameters as the fields of one frozen
dataclass, each field carrying a :class:`Parameter` in its metadata; this module holds the
descriptor and the checks every entry point (scenario files, ``--set``, sweeps, sliders)
shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

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


def param(
    default: Any,
    unit: str,
    low: float | None,
    high: float | None,
    meaning: str,
    section: str,
    source: str = "assumption",
    *,
    label: tuple[str, str] = ("", ""),
    control: tuple[float, float, float] | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """A dataclass field whose metadata describes the parameter (its name is the field's)."""
    info = Parameter(
        name="", default=default, kind=type(default), unit=unit, meaning=meaning,
        section=section, low=low, high=high, choices=choices, source=source,
        label_en=label[0], label_zh=label[1], control=control,
    )
    return field(default=default, metadata={"parameter": info})
