"""Timelines as readable terminal tables.

Arabic is printed in logical order by default (right for terminals with BiDi
support and for pipes); ``visual`` reorders and shapes it for terminals without.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from timeline.contract import ArticleView, Event, OrderBasis, Timeline, TimelineEntry
from timeline.stories import when

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


def entries_table(
    entries: Sequence[TimelineEntry], bidi: Bidi = "logical", title: str = "merged timeline"
) -> Table:
    """One row per happening: its date (or bounds, ⚠ where sources disagree), what
    happened and who said so, and every outlet that reported it."""
    table = Table(title=title, box=box.SIMPLE_HEAVY)
    table.add_column("when", no_wrap=True)
    table.add_column("event", min_width=30, ratio=1)
    table.add_column("sources")
    for entry in entries:
        date = when(entry.value, entry.earliest, entry.latest)
        if entry.disagreement is not None:
            date = "⚠ " + " / ".join(entry.disagreement.dates)
        text = entry.text if len(entry.text) < 90 else entry.text[:89] + "…"
        attributions = [s.attribution for s in entry.sources if s.attribution]
        if attributions:
            text += f"  ({attributions[0]})"
        sources = ", ".join(entry.outlets) or ", ".join(s.article_id for s in entry.sources)
        if len(entry.sources) > 1:
            sources = f"{len(entry.sources)}: {sources}"
        table.add_row(date, arabic(text, bidi), arabic(sources, bidi))
    return table


def article_table(view: ArticleView, bidi: Bidi = "logical") -> Table:
    """An article's entries, one per happening, with how many clauses were left out."""
    title = f"{view.article_id} · {view.outlet or 'unknown outlet'}"
    table = entries_table(view.entries, bidi, title)
    published = view.published.isoformat() if view.published else "not processed"
    table.caption = f"published {published} · {len(view.entries)} entries"
    if view.hidden:
        table.caption += f" · {view.hidden} clauses with no time left out (--all shows them)"
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
