"""The parameters are declared as one flat table per section and make one frozen, slotted,
typed ``Params``; a table that contradicts itself is refused when its module is imported."""

from __future__ import annotations

import pickle
import typing
from dataclasses import FrozenInstanceError, fields

import pytest

from simulation import parameters
from simulation.parameters import BY_NAME, PARAMETERS, SECTIONS_ORDER, Params, defaults
from simulation.registry import P, Parameter, Section, parameters_dataclass, table


def test_params_has_a_field_per_row_of_its_tables_in_order():
    rows = [row for section in Params.__bases__ for row in table(section)]
    assert list(PARAMETERS) == rows
    assert [f.name for f in fields(Params)] == [p.name for p in PARAMETERS] == list(BY_NAME)
    hints = typing.get_type_hints(Params)
    for f, p in zip(fields(Params), PARAMETERS, strict=True):
        assert f.default == p.default and type(f.default) is p.kind
        assert hints[p.name] is p.kind and f.metadata["parameter"] == p
    assert SECTIONS_ORDER == ("time", "community", "residents", "workers", "programme",
                              "groups", "costs")


def test_each_section_is_one_module_whose_table_names_the_section():
    for section in Params.__bases__:
        module = section.__module__.rsplit(".", 1)[-1]
        assert {row.section for row in table(section)} == {module}
        assert getattr(parameters, module).__dict__[section.__name__] is section


def test_params_is_frozen_slotted_and_keyword_only():
    p = Params.of({"need_mean": 0.3})
    assert not hasattr(p, "__dict__")
    with pytest.raises(FrozenInstanceError):
        p.need_mean = 0.4  # type: ignore[misc]
    with pytest.raises(TypeError):
        Params(52)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(p)) == p
    assert Params() == Params.of() and Params().as_dict() == defaults()


def test_of_and_with_values_check_every_value():
    p = Params.of({"n_workers": 5, "grant_size": 2000})
    assert p.n_workers == 5 and p.grant_size == 2000.0 and type(p.grant_size) is float
    assert p.with_values(n_workers=0).n_workers == 0 and p.n_workers == 5
    assert list(p.as_dict()) == list(BY_NAME)
    for bad, words in (({"n_wokers": 3}, "unknown parameter 'n_wokers'"),
                       ({"n_workers": 500}, "n_workers: expected an integer from 0 to 50"),
                       ({"life_meetings": 1}, "life_meetings: expected true or false")):
        with pytest.raises(ValueError, match=words):
            Params.of(bad)
        with pytest.raises(ValueError, match=words):
            p.with_values(**bad)


def _table_a() -> type:
    class A(Section, name="a"):
        x: float = P(default=0.5, unit="share", low=0.0, high=1.0, meaning="x.")
        k: int = P(default=3, low=0, high=9, meaning="k.", source="case (a note)")
    return A


def test_a_dataclass_of_tables_has_their_rows_in_order():
    a = _table_a()

    class B(Section, name="b"):
        flag: bool = P(default=True, meaning="flag.", label_en="Flag", label_zh="旗")

    @parameters_dataclass
    class Both(a, B):
        pass

    assert [(f.name, f.default) for f in fields(Both)] == [("x", 0.5), ("k", 3),
                                                           ("flag", True)]
    assert [row.section for row in table(a) + table(B)] == ["a", "a", "b"]
    assert table(B)[0].label("zh") == "旗" and table(a)[1].source == "case (a note)"
    assert Both(k=4).k == 4 and not hasattr(Both(), "__dict__")
    assert not isinstance(vars(a).get("x"), Parameter)  # the row left the table's class


def _float_with_an_int_default() -> None:
    class Bad(Section, name="bad"):
        x: float = P(default=1, low=0, high=2, meaning="x.")


def _default_out_of_its_range() -> None:
    class Bad(Section, name="bad"):
        x: float = P(default=1.5, low=0.0, high=1.0, meaning="x.")


def _a_source_of_no_known_kind() -> None:
    class Bad(Section, name="bad"):
        x: float = P(default=0.5, low=0.0, high=1.0, meaning="x.", source="hearsay")


def _a_row_without_a_type() -> None:
    class Bad(Section, name="bad"):
        x = P(default=0.5, low=0.0, high=1.0, meaning="x.")


def _a_type_without_a_row() -> None:
    class Bad(Section, name="bad"):
        x: float = 0.5


def _a_table_built_on_another() -> None:
    class Chained(_table_a(), name="chained"):
        y: float = P(default=0.5, low=0.0, high=1.0, meaning="y.")


def _a_name_in_two_tables() -> None:
    a = _table_a()

    class Again(Section, name="again"):
        x: float = P(default=0.5, low=0.0, high=1.0, meaning="x again.")

    @parameters_dataclass
    class Twice(a, Again):
        pass


@pytest.mark.parametrize("declare, error, words", [
    (_float_with_an_int_default, TypeError, "x is annotated float but its default 1 is a int"),
    (_default_out_of_its_range, ValueError, "x's default is not allowed"),
    (_a_source_of_no_known_kind, ValueError, "x's source 'hearsay' is none of"),
    (_a_row_without_a_type, TypeError, "x declared without a type annotation"),
    (_a_type_without_a_row, TypeError, r"x is not declared as x: TYPE = P\(default="),
    (_a_table_built_on_another, TypeError, "a section's table stands alone"),
    (_a_name_in_two_tables, TypeError, "'x' declared in sections 'a' and 'again'"),
])
def test_a_table_that_contradicts_itself_is_refused(declare, error, words):
    with pytest.raises(error, match=words):
        declare()
