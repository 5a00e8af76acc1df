"""Each mechanism does what the model description says it does."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import groups as group_rules
from simulation import workers as worker_rules
from simulation.agents import Resident
from simulation.doubts import DEMONSTRATIONS
from simulation.model import CommunityModel
from simulation.programme import Demonstrator
from simulation.scenario import load
from simulation.state import State

SMALL = {"n_residents": 600, "horizon_weeks": 0}


def test_visit_raises_familiarity_and_reveals_needs():
    model = CommunityModel(rng=3, visit_familiarity_gain=0.8, **SMALL)
    pop = model.population
    assert pop.familiarity.max() == 0 and not pop.known.any()
    worker = model.engine.workers[0]
    used = worker.infiltrate(10.0, set())
    assert used > 0
    building = worker.building
    lo, hi = model.community.building_start[building], model.community.building_start[building + 1]
    inside = np.zeros(pop.n, dtype=bool)
    inside[lo:hi] = True
    visited_households = np.flatnonzero(model.outreach.household_visited)
    assert visited_households.size > 0
    visited = np.isin(model.community.household, visited_households)
    assert (pop.familiarity[visited] > 0).all()
    # Apart from a courtyard gathering, nobody outside the building is touched.
    court = model.community.courtyard[lo]
    elsewhere = model.community.courtyard != court
    assert pop.familiarity[elsewhere].max() == 0
    assert pop.known[visited].any()
    assert not pop.known[elsewhere].any()


def test_grid_worker_company_makes_visits_count_more():
    gains = []
    for grid in (True, False):
        model = CommunityModel(rng=3, grid_worker_accompaniment=grid, **SMALL)
        model.engine.workers[0].infiltrate(10.0, set())
        gains.append(model.population.familiarity.sum())
    assert gains[0] > gains[1]


def _meeting_model(demonstrations: bool) -> CommunityModel:
    model = CommunityModel(rng=5, demonstrations=demonstrations, **SMALL)
    pop = model.population
    pop.aware[:] = True
    pop.trust[:] = 0.3
    pop.familiarity[:] = 0.5
    prog = model.programme
    prog.first_meeting_week = model.week
    leader = int(np.argmax(pop.initiative))
    group = model.engine.found(leader, "pioneer")
    if demonstrations:
        prog.demonstrators.append(Demonstrator(leader, group.id, level=3))
    return model


def _meeting_drop(demonstrations: bool) -> np.ndarray:
    """Mean fall of each doubt among the residents a life meeting reached."""
    model = _meeting_model(demonstrations)
    pop = model.population
    before = pop.doubt.copy()
    model.programme.life_meeting()
    changed = np.flatnonzero((pop.doubt != before).any(axis=1))
    assert changed.size > 0
    return (before[changed] - pop.doubt[changed]).mean(axis=0)


def test_life_meeting_lowers_doubts_most_with_a_demonstrator():
    with_one, without = _meeting_drop(True), _meeting_drop(False)
    # A real case answers the money and the how-to better than workers' words alone.
    assert with_one[0] > without[0] and with_one[2] > without[2]


@pytest.mark.parametrize("demonstrations", [True, False])
def test_life_meeting_lowers_doubts(demonstrations):
    model = _meeting_model(demonstrations)
    pop = model.population
    before = pop.doubt.copy()
    trust_before = pop.trust.copy()
    model.programme.life_meeting()
    changed = np.flatnonzero((pop.doubt != before).any(axis=1))
    assert changed.size > 0
    drop = (before[changed] - pop.doubt[changed]).mean(axis=0)
    if demonstrations:
        # Reimbursement and direction doubts fall: the demonstrator shows a real case.
        assert drop[0] > 0.05 and drop[2] > 0.05
        demonstrations = pop.doubts.relief(pop.founding_weights)[changed, DEMONSTRATIONS]
        assert (demonstrations > 0).all()
    else:
        # Without a demonstrator the workers answer questions: a little, reimbursement least.
        assert 0 < drop[0] < drop[2]
    assert (pop.trust[changed] >= trust_before[changed]).all()


def test_private_qa_settles_doubts_only_with_familiarity():
    model = CommunityModel(rng=2, **SMALL)
    pop = model.population
    who = np.arange(40)
    pop.aware[who] = True
    pop.known[who] = True
    pop.familiarity[:20] = 0.9
    pop.familiarity[20:40] = 0.0
    before = pop.doubt.copy()
    worker_rules.private_qa(model.world, model.engine.workers, 40 * model.p.visit_hours)
    drop_familiar = (before[:20] - pop.doubt[:20]).mean()
    drop_stranger = (before[20:40] - pop.doubt[20:40]).mean()
    assert drop_familiar > 2 * drop_stranger > 0
    assert pop.trust[20:40].max() == 0  # strangers do not come to trust a visitor
    assert pop.trust[:20].min() > 0


def test_trust_cannot_run_far_ahead_of_familiarity():
    model = CommunityModel(rng=2, **SMALL)
    pop = model.population
    who = np.arange(50)
    pop.familiarity[who] = 0.2
    for _ in range(30):
        pop.raise_trust(who, 0.9)
    assert pop.trust[who].max() <= 0.2 + model.p.trust_headroom + 1e-9


def test_hearing_the_offer_from_strangers_raises_doubts():
    model = CommunityModel(rng=2, first_impression=0.5, **SMALL)
    pop = model.population
    pop.familiarity[:100] = 1.0
    before = pop.doubt.copy()
    pop.hear_of_project(np.arange(200))
    assert np.allclose(pop.doubt[:100], before[:100])
    assert (pop.doubt[100:200, :2] >= before[100:200, :2]).all()
    assert (pop.doubt[100:200, :2] - before[100:200, :2]).mean() > 0.1
    assert pop.aware[:200].all() and not pop.aware[200:].any()


def test_pioneer_acts_through_the_founding_rule():
    """Support lowers the pioneer's doubts until their own score crosses the threshold; the
    week varies with the seed, and the group is the pioneer's."""
    weeks = []
    for seed in range(4):
        model = CommunityModel(rng=seed, n_residents=1500, horizon_weeks=0)
        model.run_for(40)
        prog = model.programme
        assert prog.pioneers_tried, "workers chose a pioneer"
        acted = [e.week for e in model.events if e.kind == "pioneer_acts"]
        if acted:
            group = model.groups.groups[prog.pioneer_group]
            assert group.origin == "pioneer" and group.founder == prog.pioneer
            founding = group.founding
            assert sum(founding.values()) >= model.p.found_threshold - 1e-9
            weeks.append(acted[0])
    assert weeks and len(set(weeks)) > 1, weeks


def test_a_pioneer_who_does_not_act_gives_up_and_workers_choose_another():
    model = CommunityModel(rng=1, n_residents=1500, horizon_weeks=0, found_threshold=5.0,
                           pioneer_patience_weeks=3)
    model.run_for(40)
    gave_up = [e for e in model.events if e.kind == "pioneer_gives_up"]
    assert len(gave_up) >= 2
    assert len(set(model.programme.pioneers_tried)) == len(model.programme.pioneers_tried) > 2
    assert not any(e.kind == "pioneer_acts" for e in model.events)


def test_life_meetings_follow_the_first_success_or_the_schedule():
    """By default the workers set up life meetings once a resident's action has succeeded
    (a new group's first activity): with nobody founding, none are held. On a fixed
    schedule (``meetings_after = "schedule"``) they run group or no group."""
    quiet = {"n_residents": 800, "horizon_weeks": 0, "found_threshold": 5.0,
             "initial_groups": 0, "life_meeting_delay_weeks": 2}
    idle = CommunityModel(rng=1, **quiet)
    idle.run_for(40)
    assert len(idle.groups) == 0
    assert not any(e.kind.startswith("life_meeting") for e in idle.events)

    model = CommunityModel(rng=1, meetings_after="schedule", **quiet)
    model.run_for(40)
    start = model.p.infiltration_weeks + 2
    meetings = [e.week - 1 for e in model.events if e.kind.startswith("life_meeting")]
    assert meetings[0] == start and len(model.groups) == 0
    assert all((w - start) % model.p.life_meeting_interval_weeks == 0 for w in meetings)
    assert all(e.kind == "life_meeting_quiet" for e in model.events
               if e.kind.startswith("life_meeting"))

    case = CommunityModel(rng=1, n_residents=1500, horizon_weeks=0, life_meeting_delay_weeks=2)
    case.run_for(45)
    success = case.programme.first_success_week
    first = min(e.week - 1 for e in case.events if e.kind.startswith("life_meeting"))
    assert success is not None and first == success + 2
    acted = [e.week - 1 for e in case.events if e.kind in ("pioneer_acts", "founded")]
    assert min(acted) <= success


def test_workers_build_demonstrators_rung_by_rung():
    """A demonstrator's group is mobilised for its next rung: a festival only after an
    activity, a sponsor only after a festival, sooner the more mature the group."""
    from simulation import demonstrations as demo

    def weeks_to_top(maturity: float) -> int:
        model = CommunityModel(rng=4, n_residents=600, horizon_weeks=0,
                               ladder_step_chance=0.5)
        group = _group_with_members(model)
        group.maturity = maturity
        ladder = [demo.Demonstrator(group.leader, group.id)]
        assert demo.mobilise(model.world, model.groups, ladder) == 0.0  # no activity yet
        assert group.festivals == 0
        group.activities = 1
        for week in range(1, 400):
            model.world.week = week
            festivals_before = group.festivals
            demo.mobilise(model.world, model.groups, ladder)
            if group.sponsored:
                assert festivals_before >= 1  # the festival came first
                return week
            group.maturity = maturity
        return 400

    assert weeks_to_top(0.9) < weeks_to_top(0.2)


def test_the_ladder_is_climbed_by_doing():
    from simulation.programme import rungs

    model = CommunityModel(rng=1, n_residents=600, horizon_weeks=0)
    group = _group_with_members(model)
    assert rungs(group) == 0
    group.activities = 1
    assert rungs(group) == 1
    group.sponsored = True
    assert rungs(group) == 1  # a sponsor before a festival event skips a rung
    group.festivals = 1
    assert rungs(group) == 3


def test_founding_terms_sum_to_the_score():
    from simulation import residents

    model = CommunityModel(rng=2, n_residents=1500, horizon_weeks=0)
    model.run_for(45)
    pop = model.population
    terms = residents.founding_terms(model.world, model.programme.grant_support())
    score = (pop.need * pop.initiative + model.programme.grant_support()
             - model.p.doubt_weight * pop.doubts.founding())
    assert np.allclose(terms.sum(axis=1), score)
    founded = [g for g in model.groups if g.founding]
    assert founded
    for g in founded:
        assert sum(g.founding.values()) >= model.p.found_threshold - 1e-9


def test_resident_initiated_means_founding_in_the_paired_run_without_personal_work():
    """A founder counts as resident-initiated exactly when the same resident founds, within
    the tolerance, in the paired run without Q&A visits, pioneer support and the workers'
    answers at meetings; that run is the same seed with those switched off."""
    from simulation import effects

    params = {**load("baseline").params, "n_residents": 2000, "horizon_weeks": 0}
    model = CommunityModel(rng=5, **params)
    model.run_for(params["project_weeks"])
    founded = effects.project_founders(model)
    twin = effects.twin_founders(params, 5)
    own = effects.initiated_by_residents(founded, twin)
    assert founded and set(own) == set(founded)
    for f, is_own in own.items():
        assert is_own == (f in twin and abs(twin[f] - founded[f]) <= effects.TOLERANCE_WEEKS)
    share = effects.resident_initiated_share(model, params, 5)
    assert share == sum(own.values()) / len(founded)
    # A scenario already without the personal work, and without the supported pioneer
    # (whose group is never counted), is its own twin: every founder counts.
    from simulation.effects import PERSONAL_WORK_OFF

    plain = {**params, **PERSONAL_WORK_OFF, "pioneer_support": False, "found_threshold": 0.0,
             "trust_level": 0.1}
    twin_model = CommunityModel(rng=5, **plain)
    twin_model.run_for(params["project_weeks"])
    assert effects.project_founders(twin_model)
    assert effects.resident_initiated_share(twin_model, plain, 5) == 1.0
    # Without the workers and grants no one founds, so that share is 0 there.
    none = {**params, "n_workers": 0, "grant_budget": 0.0}
    idle = CommunityModel(rng=5, **none)
    idle.run_for(params["project_weeks"])
    assert effects.project_founders(idle) == {}


def test_grants_are_paid_after_the_delay_and_never_overspent():
    model = CommunityModel(rng=4, n_residents=1500, grant_budget=3000.0, grant_size=1000.0,
                           reimbursement_delay_weeks=6, horizon_weeks=0)
    model.run_for(52)
    fund = model.programme.fund
    failed = sum(e.kind == "reimbursement_failed" for e in model.events)
    assert fund.count - failed <= 3  # money of a failed reimbursement returns to the budget
    assert fund.budget >= 0
    assert fund.paid <= 3000.0
    grants = [e for e in model.events if e.kind == "grant"]
    paid = [e for e in model.events if e.kind == "reimbursed"]
    assert len(grants) == fund.count
    assert paid, "with reliability 0.95 and three grants, some reimbursement is paid"
    assert paid[0].week - grants[0].week == 6


def _group_with_members(model: CommunityModel):
    pop = model.population
    leader = int(np.argmax(pop.initiative))
    group = model.groups.found(leader, 0, "resident")
    for r in np.flatnonzero((pop.interest == group.interest) & (pop.group < 0))[:6]:
        model.groups.add_member(group, int(r))
    return group


def test_unreliable_reimbursement_raises_members_doubts():
    model = CommunityModel(rng=4, n_residents=600, horizon_weeks=0)
    pop = model.population
    group = _group_with_members(model)
    members = np.array(sorted(group.members))
    outsiders = np.flatnonzero(pop.group < 0)
    pop.doubt[:, 0] = 0.2
    cohesion = group.cohesion
    assert model.programme.fund.award(group, 0, 0, pays=False)
    model.programme.reimburse()
    assert model.programme.fund.paid == 0
    assert (pop.doubt[members, 0] > 0.2 + 0.1).all()  # half the way back to full doubt
    assert (pop.doubt[outsiders, 0] == 0.2).all()
    assert group.cohesion < cohesion
    assert any(e.kind == "reimbursement_failed" for e in model.events)


def test_failed_reimbursement_returns_money_to_the_budget():
    model = CommunityModel(rng=4, n_residents=600, horizon_weeks=0, grant_budget=2000.0)
    group = _group_with_members(model)
    assert model.programme.fund.award(group, 0, 0, pays=False)
    assert model.programme.fund.budget == 1000.0
    model.programme.reimburse()
    assert model.programme.fund.budget == 2000.0


def test_groups_need_less_accompaniment_as_they_mature():
    model = CommunityModel(rng=1, n_residents=600, horizon_weeks=0)
    leader = int(np.argmax(model.population.initiative))
    group = group_rules.found(model.world, model.groups, leader, "worker", reserved=None)
    model.groups.groups = [group]
    group.maturity = 0.0
    young = worker_rules.accompany(model.world, model.groups, 100.0)
    group.maturity = 0.8
    mature = worker_rules.accompany(model.world, model.groups, 100.0)
    assert mature < young


def test_no_one_acts_with_nobody_to_follow():
    """Without workers, grants or seed groups, nobody founds or joins anything."""
    model = CommunityModel(rng=1, n_residents=800, n_workers=0, grant_budget=0.0,
                           initial_groups=0, horizon_weeks=0)
    model.run_for(52)
    assert len(model.groups) == 0
    assert model.population.state_counts()[State.LATENT] == 800


def test_resident_agents_read_the_population_rows():
    model = CommunityModel(rng=3, n_residents=800, horizon_weeks=0)
    model.run_for(40)
    states = model.population.states()
    residents = model.agents_by_type[Resident]
    assert len(residents) == model.population.n
    assert [int(r.state) for r in residents] == states.tolist()
    assert {int(s) for s in states} >= {State.LATENT, State.ACTING, State.LEADING}


def test_money_without_trust_building_is_an_experiment_not_an_impossibility():
    """In grants_only trust rises only through the training sessions' announcements, heard
    from strangers: with the case's three sessions nobody comes to trust the project enough;
    with weekly mass sessions some do, and groups form — the scenario can disagree."""
    from simulation.scenario import load

    base = {**load("grants_only").params, "horizon_weeks": 0, "n_residents": 2000}
    few = CommunityModel(rng=5, **base)
    few.run_for(52)
    many = CommunityModel(rng=5, **{**base, "training_sessions": 40,
                                    "training_interval_weeks": 1, "training_capacity": 400})
    many.run_for(52)
    assert few.series()["trusting"].max() < many.series()["trusting"].max()
    assert many.population.trust.max() > few.population.trust.max()
    assert len(many.groups) > len(few.groups)


def test_grants_end_with_the_project_and_belief_follows_what_residents_heard():
    """No grant is awarded after the project. Told of the end, residents stop counting on
    one; not told, they keep counting on it, and a group founded afterwards learns
    otherwise: its members' money doubts come back."""
    params = {**load("baseline").params, "n_residents": 2000, "project_weeks": 30,
              "horizon_weeks": 40}
    told = CommunityModel(rng=3, **params)
    told.run_for(70)
    assert told.programme.grant_support().max() == 0.0
    last_grant = max(e.week for e in told.events if e.kind == "grant")
    assert last_grant <= params["project_weeks"]
    assert not any(e.kind == "grant_unavailable" for e in told.events)

    untold = CommunityModel(rng=3, **{**params, "grant_end_announced": False})
    untold.run_for(70)
    assert untold.programme.grant_support().max() > 0.0  # still believed
    assert max(e.week for e in untold.events if e.kind == "grant") <= params["project_weeks"]
    refused = [e for e in untold.events if e.kind == "grant_unavailable"]
    assert refused and all(e.week > params["project_weeks"] for e in refused)
    late = [g for g in untold.groups if g.founded_week >= params["project_weeks"]]
    assert late and all(g.grants == 0 for g in late)


def test_post_project_contacts_come_from_groups_in_difficulty():
    """After the project, contacts are groups in difficulty asking for help: none when no
    group is in difficulty or workers no longer answer, more when groups ask more, fewer
    when groups are mature."""
    def contacts(**change) -> int:
        params = {**load("baseline").params, "n_residents": 2000, "horizon_weeks": 104,
                  **change}
        model = CommunityModel(rng=8, **params)
        model.run_for(params["project_weeks"] + 104)
        return model.contacts

    base = contacts()
    assert base > 0
    assert contacts(post_project_help=False) == 0
    assert contacts(help_cohesion=0.0) == 0  # nobody below a cohesion of 0
    assert contacts(help_request_rate=0.05) > base

    # One group, in difficulty: it asks less the more mature it is (same keyed draws).
    from simulation import workers as worker_rules

    def asks(maturity: float) -> int:
        model = CommunityModel(rng=2, n_residents=300, help_request_rate=0.5)
        model.world.week = model.p.project_weeks
        group = model.groups.active[0]
        total = 0
        for week in range(200):
            model.world.week = model.p.project_weeks + week
            group.cohesion, group.maturity = 0.1, maturity
            total += worker_rules.post_project_contacts(model.world, model.groups)[0]
        return total

    assert asks(0.0) > asks(0.6) > asks(0.95)


def test_purposes_move_with_maturity_and_the_demonstrators_example():
    """A group starts with its interest's purpose and moves recreation -> mutual help ->
    the community's affairs, sooner the more mature it is and the more its leader learned
    from demonstrators; with neither it stays."""
    from simulation import purposes

    def moved(maturity: float, skills: float) -> str:
        model = CommunityModel(rng=6, n_residents=600, horizon_weeks=0,
                               purpose_shift_rate=0.3)
        group = _group_with_members(model)
        group.purpose = "recreation"
        for week in range(60):
            model.world.week = week
            group.maturity = maturity
            model.population.skills[group.leader] = skills
            purposes.shift(model.world, model.groups)
        return group.purpose

    assert moved(0.0, 1.0) == moved(1.0, 0.0) == "recreation"
    assert moved(0.9, 0.9) == "affairs"
    model = CommunityModel(rng=1, n_residents=2000, horizon_weeks=60)
    model.run_for(112)
    kinds = {g.purpose for g in model.groups}
    assert kinds <= set(purposes.PURPOSES) and len(kinds) >= 2
    series = model.series()
    assert (series["groups_mutual_aid"] + series["groups_affairs"]
            <= series["active_groups"]).all()
