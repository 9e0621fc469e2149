"""Timelines as readable terminal tables.

Arabic is printed in logical order by default (right for terminals with BiDi
support and for pipes); ``visual`` reorders and shapes it for terminals without.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from timeline.contract import Event, IndexedEvent, OrderBasis, Timeline

Bidi = Literal["logical", "visual"]

_BASIS_LABEL = {
    OrderBasis.TIME: "by date",
    OrderBasis.RELATION: "by relation",
    OrderBasis.TEXT: "order unknown",
}


def arabic(text: str, bidi: Bidi) -> str:
    if bidi == "logical":
        return text
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def when(value: str | None, earliest: datetime | None, latest: datetime | None) -> str:
    """The date of an event, or its bounds when it has no single date."""
    if value and "/" in value and not value.startswith("P"):
        first, _, last = value.partition("/")
        return f"{first} … {last}"
    if value and not value.startswith("P"):
        return value
    if earliest is None and latest is None:
        return "—"
    if earliest is not None and latest is not None:
        first, last = _day(earliest), _day(latest)
        # ``latest`` is exclusive: an interval ending at midnight ends the day before
        if latest.time() == datetime.min.time() and latest > earliest:
            last = _day(latest - timedelta(days=1))
        return first if first == last else f"{first} … {last}"
    if earliest is not None:
        return f"≥ {_day(earliest)}"
    assert latest is not None
    return f"< {_day(latest)}"


def _event_cell(event: Event, bidi: Bidi, width: int = 90) -> Text:
    """The event's text with its trigger in bold; reporting and headline events dimmed."""
    text = event.text if len(event.text) <= width else event.text[: width - 1] + "…"
    cell = Text(arabic(text, bidi))
    at = text.find(event.trigger.text)
    if at >= 0 and bidi == "logical":
        cell.stylize("bold", at, at + len(event.trigger.text))
    if event.reporting or event.same_as:
        cell.stylize("dim")
    return cell


def _basis(event: Event) -> str:
    """How the event's place is known: its date, a stated relation, or only text order."""
    label = _BASIS_LABEL[event.order]
    source = event.time.source.value if event.time is not None else None
    if source in ("sentence", "discourse", "publication"):
        label += f", {source}"
    if event.same_as:
        label += f", headline of {event.same_as}"
    return label


def timeline_table(timeline: Timeline, bidi: Bidi = "logical") -> Table:
    title = f"{timeline.article_id} · {timeline.outlet or 'unknown outlet'}"
    caption = (
        f"published {timeline.published.isoformat()} · {len(timeline.events)} events · "
        f"{len(timeline.time_expressions)} time expressions"
    )
    table = Table(title=title, caption=caption, box=box.SIMPLE_HEAVY, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("when", no_wrap=True)
    table.add_column("known by", style="cyan", max_width=22)
    table.add_column("event", min_width=30, ratio=1)
    for rank, event in enumerate(timeline.events, start=1):
        value = event.time.value if event.time else None
        table.add_row(
            str(rank),
            when(value, event.earliest, event.latest),
            _basis(event),
            _event_cell(event, bidi),
        )
    for contradiction in timeline.contradictions:
        message = f"{contradiction.message} ({', '.join(contradiction.events)})"
        table.add_row("!", "", "contradiction", message)
    return table


def timexes_table(timeline: Timeline, bidi: Bidi = "logical") -> Table:
    table = Table(title="time expressions", box=box.SIMPLE)
    for column in ("id", "text", "type", "value", "mod", "resolved against"):
        table.add_column(column)
    for t in timeline.time_expressions:
        anchor = t.anchor.kind.value + (f" {t.anchor.ref}" if t.anchor.ref else "")
        table.add_row(t.id, arabic(t.text, bidi), t.type.value, t.value, t.mod or "", anchor)
    return table


def events_table(events: Sequence[IndexedEvent], bidi: Bidi = "logical") -> Table:
    table = Table(title="events across articles", box=box.SIMPLE_HEAVY)
    for column in ("when", "event", "outlet", "article"):
        table.add_column(column)
    for event in events:
        table.add_row(
            when(event.value, event.earliest, event.latest),
            arabic(event.text if len(event.text) < 90 else event.text[:89] + "…", bidi),
            event.outlet or "",
            event.article_id,
        )
    return table


def make_console() -> Console:
    """A console as wide as the terminal, or 120 columns when output is piped."""
    console = Console()
    return console if console.is_terminal else Console(width=120)


def print_timeline(
    timeline: Timeline,
    *,
    bidi: Bidi = "logical",
    with_timexes: bool = False,
    console: Console | None = None,
) -> None:
    console = console or make_console()
    console.print(timeline_table(timeline, bidi))
    if with_timexes:
        console.print(timexes_table(timeline, bidi))
