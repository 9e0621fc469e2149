"""``timeline enqueue``: JSON lines or web pages in, with a progress bar on a terminal.

On a terminal a rich progress bar (articles, rate, ETA, rejected so far) runs on stderr;
otherwise one JSON summary line is printed on stdout. Rejected items are reported on
stderr as ``line N: field: reason`` (prefixed with the file when there are several).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from config.settings import Settings
    from producer import Producer
    from producer.importer import ImportStats, Source

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

#: exit codes
REJECTED, USAGE, QUEUE_FULL, INTERRUPTED = 1, 2, 3, 130


def run_enqueue(
    settings: Settings,
    sources: list[str],
    *,
    force: bool = False,
    html: bool = False,
    outlet: str | None = None,
    url: str | None = None,
    story: str | None = None,
    restart: bool = False,
    progress: bool | None = None,
) -> int:
    """Run the command; returns its exit code."""
    from producer import Producer

    show_bar = sys.stderr.isatty() if progress is None else progress
    if html:
        pages = _html_files(sources)
        if url and len(pages) != 1:
            return _usage("--url: give it with a single page")
        producer = Producer(settings)
        try:
            return _enqueue_pages(producer, pages, outlet, url, story, force, show_bar)
        finally:
            producer.close()
    if outlet or url or story:
        return _usage("--outlet, --url and --story go with --html (JSON lines carry their own)")
    resolved, streams = _jsonl_sources(sources)
    producer = Producer(settings)
    try:
        return _import(producer, resolved, streams, force, restart, show_bar)
    finally:
        producer.close()


def _usage(message: str) -> int:
    typer.echo(f"error: {message}", err=True)
    return USAGE


def _jsonl_sources(sources: list[str]) -> tuple[list[Source], dict[str, IO[bytes]]]:
    from producer.importer import Source, file_source, jsonl_files

    resolved: list[Source] = []
    streams: dict[str, IO[bytes]] = {}
    for name in sources:
        if name == "-":
            resolved.append(Source(name="-"))
            streams["-"] = sys.stdin.buffer
            continue
        path = Path(name)
        if not path.exists():
            typer.echo(f"error: SOURCE: cannot read {path}: no such file or folder", err=True)
            raise typer.Exit(USAGE)
        resolved.extend(file_source(p) for p in jsonl_files(path))
    return resolved, streams


def _import(
    producer: Producer,
    sources: list[Source],
    streams: dict[str, IO[bytes]],
    force: bool,
    restart: bool,
    show_bar: bool,
) -> int:
    from producer import QueueFull
    from producer.importer import Importer

    several = len(sources) > 1
    bar = _Bar(show_bar, "articles")

    def rejected(source: Source, number: int, message: str) -> None:
        where = f"{source.name}: line {number}" if several else f"line {number}"
        bar.console.print(f"{where}: {message}", markup=False, highlight=False, soft_wrap=True)

    importer = Importer(
        producer,
        resume=not restart,
        force=force,
        on_reject=rejected,
        on_progress=bar.update,
    )
    code, message = 0, ""
    with bar:
        bar.start(importer.stats)
        try:
            importer.run(sources, streams)
        except QueueFull as err:
            code, message = QUEUE_FULL, f"error: {err}"
        except KeyboardInterrupt:
            code = INTERRUPTED
            message = "interrupted: run the same command again to resume where it stopped"
    if message:
        typer.echo(message, err=True)
    stats = importer.stats
    _summary(stats.as_dict(), show_bar)
    if code:
        return code
    return REJECTED if stats.rejected else 0


def _html_files(sources: list[str]) -> list[Path]:
    pages: list[Path] = []
    for name in sources:
        path = Path(name)
        if path.is_dir():
            pages.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in HTML_SUFFIXES)
            )
        elif path.is_file():
            pages.append(path)
        else:
            typer.echo(f"error: SOURCE: cannot read {path}: no such file or folder", err=True)
            raise typer.Exit(USAGE)
    return pages


def _enqueue_pages(
    producer: Producer,
    pages: list[Path],
    outlet: str | None,
    url: str | None,
    story: str | None,
    force: bool,
    show_bar: bool,
) -> int:
    from producer import InvalidArticle, QueueFull
    from producer.importer import ImportStats
    from store import Outcome

    stats = ImportStats(bytes_total=len(pages))
    bar = _Bar(show_bar, "pages")
    code = 0
    with bar:
        bar.start(stats)
        try:
            for page in pages:
                stats.lines += 1
                stats.bytes_done += 1
                try:
                    acceptance = producer.submit_html(
                        page.read_bytes(), url=url, outlet=outlet, story=story, force=force
                    )
                except (InvalidArticle, OSError) as err:
                    stats.rejected += 1
                    bar.console.print(f"{page}: {err}", markup=False, soft_wrap=True)
                else:
                    if acceptance.outcome is Outcome.DUPLICATE:
                        stats.duplicates += 1
                    else:
                        stats.accepted += 1
                stats.files += 1
                bar.update(stats)
        except QueueFull as err:
            code = QUEUE_FULL
            bar.console.print(f"error: {err}", markup=False)
        except KeyboardInterrupt:
            code = INTERRUPTED
    _summary(stats.as_dict(), show_bar)
    if code:
        return code
    return REJECTED if stats.rejected else 0


def _summary(summary: dict[str, Any], human: bool) -> None:
    if human and sys.stdout.isatty():
        parts = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in summary.items())
        typer.echo(parts)
    else:
        typer.echo(json.dumps(summary))


class _Bar:
    """A rich progress bar on stderr, or nothing; rejections print above it."""

    def __init__(self, enabled: bool, unit: str) -> None:
        from rich.console import Console

        self.enabled = enabled
        self.unit = unit
        self.console: Console = Console(stderr=True, highlight=False)
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        #: log handlers moved onto the bar's console while it runs: (handler, old stream)
        self._handlers: list[tuple[logging.StreamHandler[Any], Any]] = []

    def __enter__(self) -> _Bar:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[count]} " + self.unit),
                TextColumn("{task.fields[rate]}/s"),
                TextColumn("[red]{task.fields[rejected]} rejected"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self.progress.__enter__()
            # log lines go above the bar (through rich's stderr proxy), not across it
            for handler in logging.getLogger().handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__:
                    old = handler.setStream(sys.stderr)
                    if old is not None:
                        self._handlers.append((handler, old))
        return self

    def __exit__(self, *exc: object) -> None:
        for handler, stream in self._handlers:
            handler.setStream(stream)
        self._handlers.clear()
        if self.progress is not None:
            self.progress.__exit__(None, None, None)

    def start(self, stats: ImportStats) -> None:
        if self.progress is not None:
            self.task = self.progress.add_task(
                "enqueue", total=stats.bytes_total, count=0, rate="0", rejected=0
            )

    def update(self, stats: ImportStats) -> None:
        if self.progress is None or self.task is None:
            return
        seconds = stats.seconds
        rate = stats.lines / seconds if seconds > 0 else 0.0
        self.progress.update(
            self.task,
            total=stats.bytes_total,
            completed=stats.bytes_done,
            count=f"{stats.sent:,}",
            rate=f"{rate:,.0f}",
            rejected=stats.rejected,
        )
