"""The folders are the layers: nothing low imports something high."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: each package's floor; a module may import its own floor's packages only where listed
FLOORS = {
    "timeline": 0,
    "store": 1,
    "config": 2,
    "client": 3,
    "producer": 3,
    "worker": 3,
    "service": 4,
    "api": 4,
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_package_imports_one_above_it() -> None:
    upward = []
    for package, floor in FLOORS.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _imports(path) & FLOORS.keys():
                if name != package and FLOORS[name] >= floor:
                    upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == []


def test_the_client_and_the_producer_never_import_the_worker_or_celery_tasks() -> None:
    for package in ("client", "producer"):
        for path in (ROOT / package).rglob("*.py"):
            assert "worker" not in _imports(path), path
    for path in (ROOT / "client").rglob("*.py"):
        assert not {"celery", "kombu"} & _imports(path), path
