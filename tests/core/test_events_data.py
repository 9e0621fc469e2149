"""The example phrases beside each table of ``timeline/data/events_*.toml`` are tests."""

from __future__ import annotations

from typing import Any

import pytest

from timeline.events._lexicon import LEXICON
from timeline.events._words import analyze
from timeline.text import fold_word

from .test_events_helpers import assert_order, run

PUBLISHED = "2018-03-10T12:00:00+02:00"


def _examples(table: str) -> list[dict[str, Any]]:
    examples = LEXICON.examples[table]
    assert examples, f"events_{table}.toml has no examples"
    return examples


@pytest.mark.parametrize("example", _examples("verbs") + _examples("nouns"), ids=str)
def test_trigger_examples(example: dict[str, Any]) -> None:
    """The phrase's (first) event is triggered by the word named."""
    events, _, _ = run(example["phrase"], PUBLISHED)
    assert events, example
    first = min(events, key=lambda e: e.start)
    assert first.trigger.text == example["trigger"]


@pytest.mark.parametrize("example", _examples("clauses"), ids=str)
def test_clause_examples(example: dict[str, Any]) -> None:
    """The sentence splits into exactly these event clauses."""
    sentence = example["sentence"]
    events, _, _ = run(sentence, PUBLISHED)
    clauses = [sentence[e.start : e.end].strip() for e in sorted(events, key=lambda e: e.start)]
    assert clauses == example["clauses"]


@pytest.mark.parametrize("example", _examples("relations"), ids=str)
def test_relation_examples(example: dict[str, Any]) -> None:
    """The text orders its two events as the example says."""
    events, _, _ = run(example["text"], PUBLISHED)
    assert_order(events, example["first"], example["second"])


@pytest.mark.parametrize("example", _examples("morphology"), ids=str)
def test_morphology_examples(example: dict[str, Any]) -> None:
    """Each inflected form is read back to its verb, with the part of speech named
    (``none``: the word has no event reading)."""
    found = analyze(fold_word(example["word"]))
    if example["pos"] == "none":
        assert found is None, found
        return
    assert found is not None
    assert found.sense.lemma == fold_word(example["lemma"])
    assert found.sense.pos == example["pos"]


def test_verb_forms_are_generated() -> None:
    """Perfect, imperfect, future and clitic forms of a listed verb are recognised."""
    for word in ("أعلن", "أعلنت", "أعلنوا", "يعلن", "تعلن", "سيعلن", "وأعلنت", "فأعلن"):
        found = analyze(fold_word(word))
        assert found is not None and found.sense.lemma == fold_word("أعلن"), word
    assert analyze(fold_word("سيعلن")).future  # type: ignore[union-attr]


def test_verbal_nouns_with_article_and_pronoun() -> None:
    """A verbal noun is found with the article, clitics and possessive pronouns."""
    for word in ("الانسحاب", "بالانسحاب", "انسحابه", "انسحابها", "للانسحاب"):
        found = analyze(fold_word(word))
        assert found is not None and found.sense.pos == "masdar", word


def test_masdar_with_pronoun_is_not_read_as_verb() -> None:
    """«استقالته» is «his resignation», not «she resigned him»."""
    found = analyze(fold_word("استقالته"))
    assert found is not None and found.sense.pos == "masdar"


def test_function_words_are_no_triggers() -> None:
    """Prepositions that look like verbs («بين»، «مثل») are not events."""
    for word in ("بين", "مثل", "خلال", "بعد", "قبل", "منذ"):
        assert analyze(fold_word(word)) is None, word


@pytest.mark.parametrize("table", ["verbs", "nouns", "clauses", "relations", "morphology"])
def test_every_table_has_examples(table: str) -> None:
    assert _examples(table)


def test_ta_marbuta_word_is_no_verb() -> None:
    """«وإثارة» spells «و + أثار + ه» but its ta marbuta makes it a noun: no new clause."""
    events, _, _ = run("قرر المجلس منع التجمعات وإثارة الفوضى في المدينة.", PUBLISHED)
    assert [e.trigger.text for e in events] == ["قرر"]
