"""Groups' weekly state in columns (``groups.GroupColumns``): a group reads and writes its
own row, rows survive the columns' growth, and a group's record holds every value."""

from __future__ import annotations

from simulation.groups import COLUMNS, GroupColumns, GroupRegistry
from simulation.model import CommunityModel


def test_each_group_keeps_its_own_values_as_the_columns_grow():
    model = CommunityModel(rng=2, n_residents=600, horizon_weeks=0, initial_groups=0)
    registry: GroupRegistry = model.groups
    free = [r for r in range(600) if model.population.group[r] < 0][:30]
    groups = [registry.found(r, 0, "new") for r in free]  # past the first capacity (8)
    for i, g in enumerate(groups):
        g.cohesion, g.funds, g.activities, g.sponsored = i / 100, 10.0 * i, i, i % 2 == 1
    assert [g.id for g in groups] == list(range(30))
    for i, g in enumerate(groups):
        assert (g.cohesion, g.funds, g.activities, g.sponsored) == (i / 100, 10.0 * i, i,
                                                                    i % 2 == 1)
        assert registry.columns.cohesion[g.id] == i / 100
    assert type(groups[3].cohesion) is float and type(groups[3].activities) is int
    assert registry.active_ids().tolist() == list(range(30))
    registry.dissolve(groups[4], 1, "test")
    assert 4 not in registry.active_ids().tolist()


def test_new_rows_start_from_the_columns_defaults():
    columns = GroupColumns()
    for _ in range(20):
        row = columns.add()
        for name, (_, value) in COLUMNS.items():
            assert getattr(columns, name)[row] == value


def test_a_groups_record_holds_its_fields_and_columns():
    model = CommunityModel(rng=2, n_residents=600, horizon_weeks=0)
    group = model.groups.groups[0]
    record = group.record()
    assert set(COLUMNS) <= set(record) and "columns" not in record
    assert record["maturity"] == group.maturity and record["members"] == group.members
