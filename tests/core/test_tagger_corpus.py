"""Every rule family's example corpus and negative corpus, fed to the tagger.

The examples live beside the rules in ``timeline/data/family_*.toml`` (Duckling's
Corpus idea): each lists the expressions a sentence must yield, against the
family's fixed reference time (or the example's own ``reference``); each negative must
yield nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from timeline.tagger import tag
from timeline.tagger.grammar import GRAMMAR
from timeline.tagger.parse import parse
from timeline.text import fold

EXAMPLES = [
    pytest.param(example.get("reference", family.reference), example, id=f"{family.name}:{n}")
    for family in GRAMMAR.families
    for n, example in enumerate(family.examples)
]
NEGATIVES = [
    pytest.param(example.get("reference", family.reference), example, id=f"{family.name}:neg{n}")
    for family in GRAMMAR.families
    for n, example in enumerate(family.negatives)
]


@pytest.mark.parametrize(("reference", "example"), EXAMPLES)
def test_example_yields_its_expressions(reference: str, example: dict[str, Any]) -> None:
    """A sentence yields exactly the listed expressions, with their values."""
    found = tag(example["text"], datetime.fromisoformat(reference))
    got = [(t.text, t.type.value, t.value, t.mod) for t in found]
    want = [(e["text"], e.get("type", "DATE"), e["value"], e.get("mod")) for e in example["expect"]]
    assert got == want


@pytest.mark.parametrize(("reference", "example"), NEGATIVES)
def test_negative_yields_nothing(reference: str, example: dict[str, Any]) -> None:
    """Ages, names, counts and adjectives of frequency are not time expressions."""
    assert tag(example["text"], datetime.fromisoformat(reference)) == []


def test_every_family_has_examples_and_negatives() -> None:
    """Each rule family carries a corpus of examples and of negatives."""
    for family in GRAMMAR.families:
        assert family.examples, family.name
        assert family.negatives, family.name


def test_every_rule_is_exercised() -> None:
    """Every rule of every family produces at least one example expression."""
    used = {
        m.rule
        for family in GRAMMAR.families
        for example in family.examples
        for m in parse(fold(example["text"]).text)
    }
    missing = [r.name for r in GRAMMAR.rules if r.name not in used]
    assert not missing, missing
