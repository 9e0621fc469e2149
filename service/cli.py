"""The ``timeline`` command."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ValidationError

from service.errors import describe
from timeline.contract import Article, Timeline

app = typer.Typer(
    name="timeline",
    help="Arabic news articles in, ordered event timelines out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def extract(
    file: Annotated[
        Path | None, typer.Argument(help="a text file holding one article (or - for stdin)")
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="publication time, ISO 8601 with UTC offset")
    ] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="read articles as JSON lines on stdin")
    ] = False,
    output: Annotated[str, typer.Option("--format", help="json, timeml or table")] = "json",
) -> None:
    """Extract timelines in-process (no queue): one file, or JSON lines on stdin."""
    from timeline.extract import extract_timeline

    if output not in ("json", "timeml", "table"):
        raise _fail(f"--format: unknown format {output!r} (json, timeml, table)")
    if jsonl:
        rejected = 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                article = Article.model_validate_json(line)
            except ValidationError as err:
                rejected += 1
                message = describe(err)
                typer.echo(f"line {number}: {message}", err=True)
                typer.echo(json.dumps({"error": message, "line": number}, ensure_ascii=False))
                continue
            _emit(extract_timeline(article), output, article)
        if rejected:
            raise typer.Exit(1)
        return
    if file is None:
        raise _fail("give a FILE (or - for stdin), or --jsonl")
    if published is None:
        raise _fail("--published: required with FILE (ISO 8601 with UTC offset)")
    text = sys.stdin.read() if str(file) == "-" else _read_text(file)
    try:
        article = Article(text=text, published=datetime.fromisoformat(published))
    except ValueError as err:
        message = describe(err) if isinstance(err, ValidationError) else f"published: {err}"
        raise _fail(message) from None
    _emit(extract_timeline(article), output, article)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise _fail(f"FILE: cannot read {path}: {err}") from None


def _emit(timeline: Timeline, output: str, article: Article) -> None:
    if output == "json":
        typer.echo(timeline.model_dump_json())
    elif output == "timeml":
        from timeline.timeml import to_timeml

        typer.echo(to_timeml(article, timeline))
    else:
        from service.render import print_timeline

        print_timeline(timeline)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the contract (Article, Timeline and friends)."""
    from pydantic.json_schema import models_json_schema

    from timeline import contract

    models: list[type[BaseModel]] = [
        contract.Article,
        contract.Timeline,
        contract.IndexedEvent,
        contract.ArticleStatus,
        contract.FailedArticle,
    ]
    _, definitions = models_json_schema(
        [(m, "validation" if m is contract.Article else "serialization") for m in models],
        title="timeline contract",
    )
    definitions["version"] = contract.SCHEMA_VERSION
    typer.echo(json.dumps(definitions, ensure_ascii=False, indent=2))


def main() -> None:
    app()
