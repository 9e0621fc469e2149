"""The core stays pure: no I/O, no clock, no Celery or Redis."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "timeline"
FORBIDDEN_MODULES = {
    "redis", "celery", "kombu", "structlog", "socket", "subprocess", "requests",
    "httpx", "urllib.request", "time", "random", "os", "service", "store", "worker", "config",
    "producer", "client",
}  # fmt: skip
#: builtins that do I/O
FORBIDDEN_BUILTINS = {"open", "print", "input"}
#: methods that read the clock or write; package data is read through
#: ``importlib.resources`` (``files(...).open("rb")``) once, at import
FORBIDDEN_METHODS = {
    "now", "today", "utcnow", "fromtimestamp", "write", "write_text", "write_bytes",
    "unlink", "mkdir", "rename", "touch",
}  # fmt: skip


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_imports_nothing_impure() -> None:
    offenders = []
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name in FORBIDDEN_MODULES or name.split(".")[0] in FORBIDDEN_MODULES:
                    offenders.append(f"{path.relative_to(CORE)}: import {name}")
    assert offenders == []


def test_core_reads_no_clock_and_does_no_io() -> None:
    offenders = []
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno} {func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_METHODS:
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno} .{func.attr}()")
    assert offenders == []
