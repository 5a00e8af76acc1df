"""The one text catalogue: every key in both languages with the same placeholders, and
English sentences with their articles and plurals right."""

from __future__ import annotations

import string

import pytest

from simulation import text
from simulation.scenario import available
from simulation.text import LANGUAGES, Event, t


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_page_text_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, texts in text.TEXT.items():
        assert set(texts) == set(LANGUAGES), key
        en, zh = (placeholders(texts[lang]) for lang in LANGUAGES)
        assert en == zh, f"{key}: {en} != {zh}"
        assert all(texts[lang].strip() for lang in LANGUAGES), key


def test_every_event_template_exists_in_both_languages_with_the_same_placeholders() -> None:
    en, zh = text.TEMPLATES["en"], text.TEMPLATES["zh"]
    assert set(en) == set(zh)
    for kind in en:
        assert placeholders(en[kind]) == placeholders(zh[kind]), kind


@pytest.mark.parametrize("table", ["STATES", "ACTIVITIES", "INTEREST_NAMES", "ORIGIN_NAMES",
                                   "LADDER", "CAUSES"])
def test_name_tables_have_the_same_entries_in_both_languages(table: str) -> None:
    names = getattr(text, table)
    assert set(names) == set(LANGUAGES)
    en, zh = names["en"], names["zh"]
    assert len(en) == len(zh)
    if isinstance(en, dict):
        assert set(en) == set(zh)


def test_scenarios_have_both_languages() -> None:
    for path in available():
        assert set(text.SCENARIOS[path.stem]) == set(LANGUAGES), path.stem
        assert path.stem in text.SCENARIO_NOTES_ZH, path.stem


@pytest.mark.parametrize(("event", "en"), [
    (Event(3, "founded", {"origin": "pioneer", "interest": 1, "size": 1}),
     "The pioneer's singing group is founded (leader and 1 member)."),
    (Event(3, "founded", {"origin": "new", "interest": 5, "size": 3}),
     "A new elder visiting group is founded (leader and 3 members)."),
    (Event(3, "grant", {"interest": 5, "amount": 1000.0}),
     "A 1000-yuan micro-grant goes to an elder visiting group."),
    (Event(3, "life_meeting", {"attendees": 12, "sharers": 1}),
     "Life meeting with 12 residents; 1 shares their experience."),
    (Event(1, "project_start", {"workers": 1, "grid": False}),
     "The project starts: 1 social worker begins visiting buildings."),
    (Event(9, "dissolved", {"interest": 0, "cause": "inactive", "age": 1}),
     "A dance group dissolves (stopped meeting) after 1 week."),
    (Event(9, "private_visits", {"visits": 1}),
     "Private Q&A: 1 visit about residents' doubts this week."),
])
def test_english_sentences_have_articles_and_plurals_right(event: Event, en: str) -> None:
    assert event.text("en") == en
    assert event.text("zh")  # and the Chinese sentence fills every placeholder


def test_every_event_kind_can_be_told_in_both_languages() -> None:
    samples = {"interest": 0, "origin": "new", "size": 2, "attendees": 3, "sharers": 2,
               "workers": 3, "grid": True, "known": 10, "buildings": 0.5, "courtyard": 4,
               "step": 1, "amount": 800.0, "cause": "too small", "age": 10, "groups": 5,
               "visits": 7, "purpose": "mutual_aid"}
    for kind in text.TEMPLATES["en"]:
        needed = {k: v for k, v in samples.items()}
        for lang in LANGUAGES:
            sentence = Event(1, kind, needed).text(lang)
            assert "{" not in sentence, (kind, lang)


def test_counted_page_texts() -> None:
    assert t("speed_option", "en", weeks=text.count(1, "week", "en")) == "1 week per second"
    assert t("speed_option", "zh", weeks=text.count(5, "week", "zh")) == "每秒 5 周"
