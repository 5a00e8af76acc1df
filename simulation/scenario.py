"""Scenario files: TOML descriptions of a community and a programme, checked on loading.

A scenario names values for some parameters, grouped in tables by section
(``[community]``, ``[workers]``...); everything else keeps its default. A scenario may
``extends = "other.toml"`` and override some values. Unknown keys, wrong types and values
out of range are refused with the file, the key and what is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parameters import BY_NAME, SECTIONS_ORDER, defaults

SECTIONS: tuple[str, ...] = SECTIONS_ORDER
TOP_LEVEL = {"name": str, "description": str, "extends": str, "seed": int}
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(ValueError):
    """A scenario file (or a ``--set``) that cannot be used, and why."""

    def __init__(self, source: str, key: str | None, message: str) -> None:
        self.source, self.key, self.message = source, key, message
        where = f"{source}: " + (f"{key}: " if key else "")
        super().__init__(where + message)


@dataclass
class Scenario:
    """A resolved scenario: every parameter's value, and where it came from."""

    name: str
    description: str = ""
    path: str = ""
    seed: int = 1
    overrides: dict[str, Any] = field(default_factory=dict)  # values set by the file(s)

    @property
    def params(self) -> dict[str, Any]:
        values = defaults()
        values.update(self.overrides)
        return values

    def with_values(self, values: dict[str, Any], source: str = "--set") -> Scenario:
        """A copy with more values set (checked like a file's)."""
        checked = {k: check_value(source, k, k, v) for k, v in values.items()}
        return Scenario(self.name, self.description, self.path, self.seed,
                        {**self.overrides, **checked})

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "path": self.path,
            "seed": self.seed,
            "overrides": dict(self.overrides),
        }


def check_value(source: str, key: str, name: str, value: Any) -> Any:
    """``value`` checked by parameter ``name``'s own rule; a ``ScenarioError`` naming
    ``source`` and ``key`` (where the value was written) otherwise. Scenario files, ``--set``
    and sweep files all check their values here."""
    if name not in BY_NAME:
        raise ScenarioError(source, key, unknown_parameter(name))
    try:
        return BY_NAME[name].check(value)
    except ValueError as err:
        raise ScenarioError(source, key, str(err)) from None


def unknown_parameter(name: str) -> str:
    """The message for a parameter name that does not exist, with the closest names."""
    import difflib

    close = difflib.get_close_matches(name, list(BY_NAME), n=3)
    if close:
        return "unknown parameter; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "unknown parameter; see `sprout params` for the list of parameters"


def find_file(name: str | Path, directory: Path, what: str = "scenario") -> Path:
    """A TOML file given by path, or by name (with or without ``.toml``) in ``directory``."""
    path = Path(name)
    if path.exists():
        return path
    for candidate in (directory / path, directory / f"{path}.toml"):
        if candidate.exists():
            return candidate
    raise ScenarioError(str(name), None, f"no such {what} file (looked in the current "
                        f"directory and in {directory})")


def resolve_path(name: str | Path) -> Path:
    """A scenario given by path, or by name in the scenarios directory."""
    return find_file(name, SCENARIO_DIR)


def load(name: str | Path, _chain: tuple[Path, ...] = ()) -> Scenario:
    """Load and check a scenario file, following ``extends``."""
    path = resolve_path(name).resolve()
    source = str(path)
    if path in _chain:
        raise ScenarioError(source, "extends", "scenarios extend each other in a loop")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(source, None, f"not valid TOML: {err}") from None
    except OSError as err:
        raise ScenarioError(source, None, f"cannot read: {err.strerror}") from None

    base = Scenario(name=path.stem)
    if "extends" in data:
        if not isinstance(data["extends"], str):
            raise ScenarioError(source, "extends", "expected a file name (a string)")
        parent = path.parent / data["extends"]
        if not parent.exists():
            raise ScenarioError(source, "extends", f"no such scenario file: {parent}")
        base = load(parent, _chain + (path,))

    overrides = dict(base.overrides)
    for key, value in data.items():
        if key in TOP_LEVEL:
            if not isinstance(value, TOP_LEVEL[key]) or isinstance(value, bool):
                raise ScenarioError(source, key, f"expected {TOP_LEVEL[key].__name__}")
            continue
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ScenarioError(source, key, "expected a table of parameters")
            for name_, v in value.items():
                full = f"{key}.{name_}"
                if name_ in BY_NAME and BY_NAME[name_].section != key:
                    raise ScenarioError(
                        source, full, f"belongs in the [{BY_NAME[name_].section}] table"
                    )
                if isinstance(v, dict):
                    raise ScenarioError(source, full, "expected a value, not a table")
                try:
                    overrides[name_] = check_value(source, name_, name_, v)
                except ScenarioError as err:
                    raise ScenarioError(source, full, err.message) from None
            continue
        if key in BY_NAME:
            raise ScenarioError(
                source, key, f"put it in the [{BY_NAME[key].section}] table"
            )
        allowed = ", ".join([*TOP_LEVEL, *(f"[{s}]" for s in SECTIONS)])
        raise ScenarioError(source, key, f"unknown key; allowed at the top level: {allowed}")

    seed = data.get("seed", base.seed)
    if seed < 0:
        raise ScenarioError(source, "seed", "expected a non-negative integer")
    return Scenario(
        name=data.get("name", path.stem),
        description=data.get("description", base.description),
        path=source,
        seed=seed,
        overrides=overrides,
    )


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """Parse ``key=value`` strings from the command line into checked parameter values."""
    values: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError("--set", item, "expected key=value")
        key, text = (part.strip() for part in item.split("=", 1))
        if key not in BY_NAME:
            raise ScenarioError("--set", key, unknown_parameter(key))
        try:
            values[key] = BY_NAME[key].parse(text)
        except ValueError as err:
            raise ScenarioError("--set", key, str(err)) from None
    return values


def resolve(name: str | Path | None = None, assignments: list[str] | None = None) -> Scenario:
    """The scenario a command asks for: a file or name (the baseline when None) with
    ``key=value`` assignments (``--set``) applied on top."""
    scenario = load(name or "baseline")
    if assignments:
        scenario = scenario.with_values(parse_assignments(assignments))
    return scenario


def available() -> list[Path]:
    """Scenario files shipped in ``scenarios/``."""
    return sorted(SCENARIO_DIR.glob("*.toml"))
