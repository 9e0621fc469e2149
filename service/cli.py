"""The ``timeline`` command."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import BaseModel, ValidationError

from config.errors import describe
from config.settings import Settings
from timeline.contract import Article, Timeline

if TYPE_CHECKING:
    from client import TimelineClient
    from service.render import Bidi

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

        print_timeline(timeline, with_timexes=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the contract (Article, Timeline and friends)."""
    from pydantic.json_schema import models_json_schema

    from timeline import contract

    models: list[type[BaseModel]] = [
        contract.Article,
        contract.Timeline,
        contract.IndexedEvent,
        contract.TimelineEntry,
        contract.EntryPage,
        contract.ArticleView,
        contract.ArticleStatus,
        contract.FailedArticle,
    ]
    _, definitions = models_json_schema(
        [(m, "validation" if m is contract.Article else "serialization") for m in models],
        title="timeline contract",
    )
    definitions["version"] = contract.SCHEMA_VERSION
    typer.echo(json.dumps(definitions, ensure_ascii=False, indent=2))


def _settings() -> Settings:
    from config.settings import get_settings

    try:
        return get_settings()
    except ValidationError as err:
        raise _fail(f"settings: {describe(err)}") from None


def _client() -> TimelineClient:
    from client import TimelineClient

    settings = _settings()
    return TimelineClient(settings.redis_url, prefix=settings.key_prefix)


def _configure_logs() -> None:
    from config import logs

    settings = _settings()
    logs.configure(settings.log_level, settings.log_format)


BidiOption = Annotated[
    str, typer.Option("--bidi", help="logical (default) or visual order for Arabic")
]


def _bidi(value: str) -> Bidi:
    if value not in ("logical", "visual"):
        raise _fail(f"--bidi: expected logical or visual, got {value!r}")
    return "visual" if value == "visual" else "logical"


@app.command()
def enqueue(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="JSON-lines files or folders of them, or - for stdin; with --html, web pages "
            "(.html files or folders of them)"
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="process again even if already processed")
    ] = False,
    html: Annotated[
        bool,
        typer.Option("--html", help="the sources are whole web pages: extract text, title, date"),
    ] = False,
    outlet: Annotated[str | None, typer.Option(help="the outlet of --html pages")] = None,
    url: Annotated[str | None, typer.Option(help="the address of a single --html page")] = None,
    story: Annotated[
        str | None, typer.Option(help="the story key to file --html pages under")
    ] = None,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="import files from the start, not from a checkpoint"),
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="progress bar (default: on a terminal)"),
    ] = None,
) -> None:
    """Validate articles and queue them; bad ones are reported, good ones queued.

    Large files stream in batches; an interrupted import of a file resumes where it stopped
    when run again. Exit code 1 when any article was rejected, 3 when the queue is full.
    """
    from service.enqueue import run_enqueue

    _configure_logs()
    code = run_enqueue(
        _settings(),
        sources,
        force=force,
        html=html,
        outlet=outlet,
        url=url,
        story=story,
        restart=restart,
        progress=progress,
    )
    if code:
        raise typer.Exit(code)


feeds_app = typer.Typer(
    name="feeds", help="RSS and Atom feeds: enqueue their new entries.", no_args_is_help=True
)
app.add_typer(feeds_app)


@feeds_app.command("poll")
def feeds_poll(
    feeds_file: Annotated[
        Path,
        typer.Argument(
            help="feed URLs, one a line, each optionally followed by story=KEY (# starts a comment)"
        ),
    ],
    every: Annotated[
        str | None,
        typer.Option(help="poll again every 30s, 5m, 1h… until SIGINT or SIGTERM"),
    ] = None,
) -> None:
    """Poll feeds and enqueue entries not sent before; one JSON summary line per poll.

    Without --every: one poll, exit code 1 when a feed failed. A failing feed is logged and
    the others are polled all the same.
    """
    import signal
    import threading

    from producer import Producer
    from producer.feeds import FeedPoller, read_feed_stories

    interval = _duration("--every", every) if every is not None else None
    try:
        stories = read_feed_stories(feeds_file)
    except (OSError, UnicodeDecodeError) as err:
        raise _fail(f"FEEDS_FILE: cannot read {feeds_file}: {err}") from None
    except ValueError as err:
        raise _fail(f"FEEDS_FILE: {err}") from None
    urls = list(stories)
    if not urls:
        raise _fail(f"FEEDS_FILE: no feed URLs in {feeds_file}")
    _configure_logs()
    producer = Producer(_settings())
    poller = FeedPoller(producer, stories=stories)
    try:
        if interval is None:
            report = poller.poll(urls)
            typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
            if report.failed:
                raise typer.Exit(1)
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        poller.run(
            urls,
            interval,
            stop,
            on_poll=lambda done: typer.echo(json.dumps(done.as_dict(), ensure_ascii=False)),
        )
    finally:
        producer.close()


def _duration(option: str, value: str) -> float:
    """``90``, ``30s``, ``5m``, ``1h`` → seconds."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", value)
    if match is None or float(match.group(1)) <= 0:
        raise _fail(f"{option}: expected a duration such as 30s, 5m or 1h, got {value!r}")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(ctx: typer.Context) -> None:
    """Run a worker in the foreground (SIGTERM stops it cleanly); extra arguments go to Celery."""
    from worker.app import app as celery_app

    settings = _settings()
    argv = ["worker", "-Q", settings.queue, "--without-gossip", "--without-mingle"]
    celery_app.worker_main([*argv, *ctx.args])


@app.command()
def fetch(
    article_id: Annotated[str, typer.Argument(help="the article's id")],
    as_json: Annotated[bool, typer.Option("--json", help="print the Timeline model")] = False,
    timexes: Annotated[bool, typer.Option("--timexes", help="list time expressions too")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="also the clauses with no time of their own")
    ] = False,
    bidi: BidiOption = "logical",
) -> None:
    """Print an article's timeline: one row per happening (its attribution with it)."""
    with _client() as client:
        found = client.get(article_id)
        if found is None:
            status = client.status(article_id)
            state = f" (it is {status.state.value})" if status else ""
            raise _fail(f"no timeline for {article_id}{state}", code=1)
        view = client.article(article_id, show_all=show_all)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    from service.render import article_table, make_console, timexes_table

    console = make_console()
    if view is not None:
        console.print(article_table(view, _bidi(bidi)))
    if timexes:
        console.print(timexes_table(found, _bidi(bidi)))


@app.command()
def status(
    article_id: Annotated[str, typer.Argument(help="the article's id")],
) -> None:
    """Print where an article is: queued, processing, done or failed (with the reason)."""
    with _client() as client:
        found = client.status(article_id)
    if found is None:
        raise _fail(f"unknown article id {article_id}", code=1)
    typer.echo(found.model_dump_json())


FromOption = Annotated[
    str | None, typer.Option("--from", help="ISO date (that whole day) or date-time (inclusive)")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="ISO date (included) or date-time (excluded)")
]
OutletOption = Annotated[
    list[str] | None, typer.Option("--outlet", help="only this outlet (repeat for several)")
]
LimitOption = Annotated[int, typer.Option(min=1, help="at most this many entries")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON lines, one entry a line")]


@app.command()
def events(
    start: FromOption = None,
    end: ToOption = None,
    q: Annotated[str | None, typer.Option("--q", help="words every entry must match")] = None,
    outlet: OutletOption = None,
    limit: LimitOption = 500,
    as_json: JsonOption = False,
    bidi: BidiOption = "logical",
) -> None:
    """The merged timeline across articles, earliest first: one row per happening with
    every outlet that reported it."""
    _print_entries(start, end, q, outlet, None, limit, as_json, bidi)


@app.command()
def story(
    query: Annotated[
        str | None, typer.Argument(help="words every entry must match (أستانة)")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    outlet: OutletOption = None,
    key: Annotated[
        str | None, typer.Option("--key", help="the story key articles were filed under")
    ] = None,
    limit: LimitOption = 500,
    as_json: JsonOption = False,
    bidi: BidiOption = "logical",
) -> None:
    """A story's merged timeline: entries matching QUERY (and/or filed under --key), with
    their sources, the dates where sources disagree, and why reports were merged."""
    if not (query and query.strip()) and key is None:
        raise _fail("QUERY: give words to look for, or --key")
    _print_entries(start, end, query, outlet, key, limit, as_json, bidi)


def _print_entries(
    start: str | None,
    end: str | None,
    q: str | None,
    outlets: list[str] | None,
    story_key: str | None,
    limit: int,
    as_json: bool,
    bidi: str,
) -> None:
    from itertools import islice

    from store import TooManyReports
    from timeline.stories import Query

    try:
        query = Query.parse(start=start, end=end, q=q, outlets=outlets or (), story=story_key)
    except ValueError as err:
        raise _fail(f"--{err}" if str(err).startswith(("from", "to")) else str(err)) from None
    settings = _settings()
    with _client() as client:
        pages = client.pages(
            query, page_size=min(limit, 500), max_reports=settings.max_query_reports
        )
        try:
            found = list(islice((e for page in pages for e in page.entries), limit))
        except TooManyReports as err:
            raise _fail(str(err), code=1) from None
    if as_json:
        for entry in found:
            typer.echo(entry.model_dump_json())
        return
    from service.render import entries_table, make_console

    make_console().print(entries_table(found, _bidi(bidi)))


@app.command()
def failed(
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False,
) -> None:
    """Articles that failed, newest first, with the reason."""
    with _client() as client:
        found = client.failed(limit)
    for item in found:
        if as_json:
            typer.echo(item.model_dump_json())
        else:
            typer.echo(f"{item.failed_at:%Y-%m-%d %H:%M:%S} {item.article_id}: {item.error}")


@app.command()
def retry(article_id: Annotated[str, typer.Argument(help="the failed article's id")]) -> None:
    """Queue a failed article again."""
    from producer import Producer

    _configure_logs()
    producer = Producer(_settings())
    try:
        if not producer.retry(article_id):
            raise _fail(f"nothing stored under {article_id} to retry", code=1)
    finally:
        producer.close()
    typer.echo(f"queued {article_id} again")


@app.command()
def requeue() -> None:
    """Send again the tasks of accepted articles the broker lost (workers do this too)."""
    from producer import Producer

    _configure_logs()
    producer = Producer(_settings())
    try:
        typer.echo(f"queued {producer.requeue_stranded()} articles again")
    finally:
        producer.close()


@app.command()
def reindex() -> None:
    """Index every stored timeline again (after an upgrade that changed the events index)."""
    _configure_logs()
    store = _settings().open_store()
    try:
        typer.echo(f"indexed {store.reindex()} timelines again")
    finally:
        store.redis.close()


@app.command()
def health(
    require_workers: Annotated[bool, typer.Option(help="unhealthy when no worker answers")] = True,
    timeout: Annotated[float, typer.Option(help="seconds to wait for workers")] = 2.0,
) -> None:
    """Report Redis, queue length, workers alive and failures; exit 1 when unhealthy."""
    from service.health import check

    report = check(_settings(), timeout=timeout, require_workers=require_workers)
    typer.echo(json.dumps(report.as_dict()))
    if not report.healthy:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8080,
) -> None:
    """Serve the read-only HTTP API and the timeline page (TIMELINE_REDIS_URL's store).

    Without TIMELINE_API_TOKEN it listens on 127.0.0.1 only; with it, every request
    carries ``Authorization: Bearer TOKEN``.
    """
    import os

    problem = _settings().bind_problem(host)
    if problem is not None:
        raise _fail(problem)
    # the API is a shell of its own (api/): run it in this process's place
    os.execv(sys.executable, [sys.executable, "-m", "api", "--host", host, "--port", str(port)])


@app.command()
def demo(
    bidi: BidiOption = "logical",
    serve_api: Annotated[
        bool,
        typer.Option(
            "--serve", help="then keep Redis and the worker up and serve the API and the page"
        ),
    ] = False,
    port: Annotated[int, typer.Option(min=1, max=65535, help="the API's port (--serve)")] = 8080,
) -> None:
    """Start what is needed, process the bundled sample articles and print their timelines."""
    from service.demo import run_demo

    raise typer.Exit(run_demo(_bidi(bidi), serve_port=port if serve_api else None))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
