"""The stored rule index (which rules may begin at which word) matches the rules."""

from __future__ import annotations

from timeline.tagger.grammar import GRAMMAR, index_inputs
from timeline.tagger.index import build, render, signature, stored


def test_stored_index_is_current() -> None:
    """``timeline/data/rule_index.toml`` is what the rules and lexicon give today
    (rewrite it with ``python tools/build_rule_index.py``)."""
    rules, words, article = index_inputs(GRAMMAR.rules)
    data = stored()
    assert data is not None
    assert data["signature"] == signature(rules, words)
    assert render(build(rules, words, article)) == _stored_text()


def _stored_text() -> str:
    from importlib import resources

    return resources.files("timeline").joinpath("data", "rule_index.toml").read_text("utf-8")
