"""The inventory (``timeline/data/inventory.toml``): a generated test per cell.

Each cell's phrases are built from the inventory's tables and their values computed from
the reference time by :mod:`tests.core.inventory`, apart from the tagger; the tagger must
give exactly those spans, types, values and mods, and find nothing in the negatives. A
cell marked ``xfail`` in the data is a known hole, expected to fail until it is closed.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest

from tests.core import inventory
from tools.coverage import render

ROOT = Path(__file__).resolve().parents[2]

CELLS = [
    pytest.param(
        cell,
        id=cell.id,
        marks=[pytest.mark.xfail(reason=cell.xfail, strict=True)] if cell.xfail else [],
    )
    for cell in inventory.cells()
]


@pytest.mark.parametrize("cell", CELLS)
def test_cell(cell: inventory.Cell) -> None:
    """The cell's phrases yield exactly their expressions; its negatives nothing."""
    assert inventory.problems(cell) == []


def test_cell_ids_are_unique() -> None:
    ids = [cell.id for cell in inventory.cells()]
    assert len(ids) == len(set(ids))


def test_every_number_class_meets_every_unit_and_every_frame() -> None:
    """Lengths: each class of number is tried with each unit and in each frame."""
    raw = inventory.data()["lengths"]
    cells = [c for c in inventory.cells() if c.dimension == "lengths"]
    frames = {f["name"] for f in raw["frame"]}
    for number_class in raw["class"]:
        name = number_class["name"]
        mine = [c for c in cells if c.column == name]
        units = {c.id.removeprefix(f"{c.row}-").removesuffix(f"-{name}") for c in mine}
        assert {c.row for c in mine} == frames, name
        assert units == set(raw["unit"]), name


def test_explicit_cells_sit_in_their_table() -> None:
    """Every written-out cell names a row and a column of its dimension's table."""
    for dimension in inventory.dimensions()[1:]:
        grid = set(product(dimension.rows, dimension.columns))
        for cell in dimension.cells:
            assert (cell.row, cell.column) in grid, cell.id


def test_coverage_document_is_current() -> None:
    """``docs/coverage.md`` is what ``python tools/coverage.py`` renders today."""
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == render()
