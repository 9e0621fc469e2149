"""Rewrite ``timeline/data/rule_index.toml`` from the current rule families.

Run after changing a rule or a lexicon table: ``python tools/build_rule_index.py``.
A test fails while the stored index is stale (and the tagger then rebuilds it in
memory at import, which takes seconds).
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from timeline.tagger.grammar import GRAMMAR, index_inputs
from timeline.tagger.index import FILE_NAME, build, render


def main() -> int:
    index = build(*index_inputs(GRAMMAR.rules))
    target = Path(str(resources.files("timeline").joinpath("data", FILE_NAME)))
    target.write_text(render(index), encoding="utf-8")
    sys.stdout.write(f"wrote {target} ({len(index.words)} words, {len(index.pairs)} pairs)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
