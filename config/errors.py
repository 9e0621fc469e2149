"""Readable one-line messages for validation errors, naming the field at fault."""

from __future__ import annotations

from pydantic import ValidationError


def describe(error: ValidationError) -> str:
    """``published: Input should have timezone info; text: text is empty``."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "article"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)
