"""Scenario files: TOML descriptions of a community and a programme, checked on loading.

A scenario names values for some parameters, grouped in tables by section
(``[community]``, ``[workers]``...); everything else keeps its default. A scenario may
``extends = "other.toml"`` (a path beside it) or ``extends = "baseline"`` (a name in
``scenarios/``) and override some values. Unknown keys, wrong types, values out of range
(NaN and infinities included) and names that are not plain names are refused with the file,
the key and what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ReportedError
from .parameters import BY_NAME, SECTIONS_ORDER, defaults

SECTIONS: tuple[str, ...] = SECTIONS_ORDER
TOP_LEVEL = {"name": str, "description": str, "extends": str, "seed": int}
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
EXPERIMENTS_DIR = Path(__file__).resolve().parent.parent / "experiments"
"""Sweep, sensitivity and funding files, and the stored results (calibration, Sobol)."""
MAX_FILE_BYTES = 1_000_000
"""Scenario and sweep files are small; anything larger is refused before it is read."""
MAX_EXTENDS = 32
"""A scenario extends at most this many others, one after another."""
MAX_SEED = 2**63 - 1
"""Seeds are stored as 64-bit integers."""

NAME = re.compile(r"[^\W_][\w.+-]*( [\w.+-]+)*", re.UNICODE)
"""A scenario or sweep name: letters, digits, ``_ . + -`` and single spaces inside, not
starting with a dot, at most ``MAX_NAME`` characters (it names a folder under ``out/``)."""
MAX_NAME = 80


class ScenarioError(ReportedError, ValueError):
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


def check_value(source: str, key: str, name: str, value: Any, written: bool = False) -> Any:
    """``value`` checked by parameter ``name``'s own rule; a ``ScenarioError`` naming
    ``source`` and ``key`` (where the value was written) otherwise. Scenario files, ``--set``
    and sweep files all check their values here. ``written``: the value was written by
    hand (a file's value), so an integer parameter refuses a number with a decimal point
    (``n_workers = 2.0`` is refused, not taken as 2)."""
    if name not in BY_NAME:
        raise ScenarioError(source, key, unknown_parameter(name))
    if hasattr(value, "item") and type(value).__module__ == "numpy":  # a numpy scalar
        value = value.item()
    if written and BY_NAME[name].kind is int and isinstance(value, float):
        raise ScenarioError(source, key, f"expected an integer (written without a decimal "
                            f"point or exponent), got {value!r}; {BY_NAME[name].allowed()}")
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


def check_name(source: str, key: str, name: Any) -> str:
    """``name`` if it can name a folder under ``out/`` (no separators, no ``..``, not
    absolute, not hidden); a ``ScenarioError`` otherwise."""
    if (not isinstance(name, str) or len(name) > MAX_NAME or not NAME.fullmatch(name)
            or ".." in name):
        raise ScenarioError(source, key, f"expected a name of at most {MAX_NAME} letters, "
                            f"digits, '_', '.', '+', '-' or spaces (no '/', no '..'), "
                            f"got {name!r}")
    return name


def check_seed(source: str, key: str, seed: Any) -> int:
    """``seed`` if it is an integer from 0 to ``MAX_SEED``; a ``ScenarioError`` otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ScenarioError(source, key, f"expected an integer from 0 to {MAX_SEED}, "
                            f"got {seed!r}")
    return seed


def read_toml(path: Path) -> tuple[dict[str, Any], bytes]:
    """A TOML file's table and its bytes; a ``ScenarioError`` naming the file if it is not a
    small regular file of UTF-8 TOML."""
    import stat

    source = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError(source, None, "not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError(source, None, f"{info.st_size:,} bytes; a scenario or sweep "
                                f"file has at most {MAX_FILE_BYTES:,}")
        raw = path.read_bytes()
    except OSError as err:
        raise ScenarioError(source, None, f"cannot read: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(source, None, f"not UTF-8 text (byte {err.start}); a scenario "
                            "is a TOML text file") from None
    from .inputs import MAX_DEPTH, nesting_depth

    if nesting_depth(text) > MAX_DEPTH:
        raise ScenarioError(source, None, f"arrays or tables nested {nesting_depth(text)} "
                            f"deep; at most {MAX_DEPTH} levels are allowed")
    try:
        return tomllib.loads(text), raw
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(source, None, f"not valid TOML: {err}") from None
    except RecursionError:
        raise ScenarioError(source, None, "arrays or tables nested too deep") from None


def find_file(name: str | Path, directory: Path, what: str = "scenario") -> Path:
    """A TOML file given by path, or by name (with or without ``.toml``) in ``directory``."""
    path = Path(name)
    if not str(name).strip():
        raise ScenarioError(repr(str(name)), None, f"expected a {what} file or name")
    if path.exists():
        return path
    if not path.is_absolute():
        # By name: a file (a folder of stored results may share a file's name).
        for candidate in (directory / f"{path}.toml", directory / path):
            if candidate.is_file():
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
    if len(_chain) >= MAX_EXTENDS:
        raise ScenarioError(str(_chain[0]), "extends", f"more than {MAX_EXTENDS} scenarios "
                            "extend one another in a chain; at most "
                            f"{MAX_EXTENDS} are allowed")
    data, _ = read_toml(path)

    base = Scenario(name=path.stem)
    if "extends" in data:
        if not isinstance(data["extends"], str):
            raise ScenarioError(source, "extends", "expected a file name (a string)")
        base = load(_parent(source, path, data["extends"]), _chain + (path,))

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
                    overrides[name_] = check_value(source, name_, name_, v, written=True)
                except ScenarioError as err:
                    raise ScenarioError(source, full, err.message) from None
            continue
        if key in BY_NAME:
            raise ScenarioError(
                source, key, f"put it in the [{BY_NAME[key].section}] table"
            )
        allowed = ", ".join([*TOP_LEVEL, *(f"[{s}]" for s in SECTIONS)])
        raise ScenarioError(source, key, f"unknown key; allowed at the top level: {allowed}")

    seed = check_seed(source, "seed", data.get("seed", base.seed))
    if "name" in data:
        name_ = check_name(source, "name", data["name"])
    else:
        name_ = check_name(source, "name (the file's name)", path.stem)
    return Scenario(
        name=name_,
        description=data.get("description", base.description),
        path=source,
        seed=seed,
        overrides=overrides,
    )


def _parent(source: str, path: Path, extends: str) -> Path:
    """What ``extends`` names: a file beside ``path`` (with or without ``.toml``), else a
    scenario name in ``scenarios/``."""
    for candidate in (path.parent / extends, path.parent / f"{extends}.toml"):
        if extends.strip() and candidate.is_file():
            return candidate
    if extends.strip() and not Path(extends).is_absolute():
        for candidate in (SCENARIO_DIR / extends, SCENARIO_DIR / f"{extends}.toml"):
            if candidate.is_file():
                return candidate
    raise ScenarioError(source, "extends", f"no such scenario file: {extends!r} (looked "
                        f"beside the file and in {SCENARIO_DIR})")


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """Parse ``key=value`` strings from the command line into checked parameter values."""
    values: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError("--set", item, "expected key=value")
        key, text = (part.strip() for part in item.split("=", 1))
        if key not in BY_NAME:
            raise ScenarioError("--set", key, unknown_parameter(key))
        if key in values:
            raise ScenarioError("--set", key, "set twice; give each parameter once")
        if BY_NAME[key].kind is int and not re.fullmatch(r"[+-]?\d+", text) and _number(text):
            raise ScenarioError("--set", key, f"expected an integer (written without a "
                                f"decimal point or exponent), got {text!r}; "
                                f"{BY_NAME[key].allowed()}")
        try:
            values[key] = BY_NAME[key].parse(text)
        except ValueError as err:
            raise ScenarioError("--set", key, str(err)) from None
    return values


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def resolve(name: str | Path | None = None, assignments: list[str] | None = None) -> Scenario:
    """The scenario a command asks for: a file or name (the baseline when None) with
    ``key=value`` assignments (``--set``) applied on top."""
    scenario = load("baseline" if name is None else name)
    if assignments:
        scenario = scenario.with_values(parse_assignments(assignments))
    return scenario


def scenarios_epilog() -> str:
    """The shipped scenarios, for help texts."""
    names = ", ".join(p.stem for p in available())
    return f"scenarios in scenarios/: {names} (or the path of a scenario file)"


def available() -> list[Path]:
    """Scenario files shipped in ``scenarios/``."""
    return sorted(SCENARIO_DIR.glob("*.toml"))
