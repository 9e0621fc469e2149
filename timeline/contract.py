"""The one typed contract shared by producer, worker, store and client.

Everything that crosses a process boundary is one of these models, serialised as
JSON (never pickle). The output of :class:`Timeline` is a superset of the
extractor contract read by the evaluation scorer: ``article_id``, ``published``,
``time_expressions`` (text/start/end/type/value/mod) and ``events`` (start/end/
trigger) in chronological order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = "1.0"

#: Hard ceiling on article text; deployments set a lower one through settings and
#: pass it as validation context (``{"max_text_chars": n}``).
MAX_TEXT_CHARS = 2_000_000
DEFAULT_MAX_TEXT_CHARS = 200_000

ArticleId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$"),
]

#: a story key a producer tags articles with (``astana-talks-2017``)
StoryKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$"),
]

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def content_digest(text: str) -> str:
    """A digest of the article's content that ignores layout differences.

    Two copies of one article that differ only in Unicode normalisation, white
    space or bidi marks have the same digest, so the same article scraped from
    several feeds is recognised as one.
    """
    # NFKC decomposes a no-break space to a space, so replacing it first changes
    # nothing but spares most scraped texts a full normalisation: without it they
    # pass unicodedata's quick check as they are
    folded = unicodedata.normalize("NFKC", text.replace("\xa0", " "))
    folded = folded.replace("\u0640", "")  # tatweel
    spaced = folded.replace("\n", " ")
    if spaced.isprintable():
        # no white space but the space, and no invisible mark (both are unprintable):
        # runs of spaces as one, none at the ends
        while "  " in spaced:
            spaced = spaced.replace("  ", " ")
        folded = spaced.strip(" ")
    else:
        folded = _INVISIBLE.sub("", folded)
        # white space runs as one space, none at the ends (str.split's white space is
        # the regex \s; split and join is several times faster than a substitution)
        folded = " ".join(folded.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def derive_article_id(text: str) -> str:
    """The id of an article that was handed in without one: derived from its content."""
    return "a-" + content_digest(text)[:24]


class Article(BaseModel):
    """A news article as handed in by a producer.

    ``id`` may be omitted: it is then derived from the content, so that the same
    article sent twice is one article. ``published`` must carry a UTC offset.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, frozen=True)

    id: ArticleId = Field(default="", validate_default=False)
    url: Annotated[str, StringConstraints(max_length=4096)] | None = None
    outlet: Annotated[str, StringConstraints(max_length=200)] | None = None
    title: Annotated[str, StringConstraints(max_length=2000)] | None = None
    text: str
    published: AwareDatetime
    language: Literal["ar"] = "ar"
    #: the story the producer filed the article under, if any (see :mod:`timeline.stories`)
    story: StoryKey | None = None
    #: True when the source gave no usable publication time and the time the article
    #: was received stands in for it (only when the deployment allows that fallback)
    published_fallback: bool = False

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_text(cls, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("text")
    @classmethod
    def _text_is_usable(cls, value: str, info: ValidationInfo) -> str:
        limit = MAX_TEXT_CHARS
        if isinstance(info.context, dict) and "max_text_chars" in info.context:
            limit = min(limit, int(info.context["max_text_chars"]))
        if len(value) > limit:
            raise ValueError(f"text is {len(value)} characters, over the limit of {limit}")
        if not value.strip():
            raise ValueError("text is empty")
        if _CONTROL.search(value):
            value = _CONTROL.sub(" ", value)
        if not _ARABIC_LETTER.search(value):
            raise ValueError("text contains no Arabic script")
        return value

    @field_validator("published")
    @classmethod
    def _published_in_range(cls, value: datetime) -> datetime:
        if not 1800 <= value.year <= 2200:
            raise ValueError(f"year {value.year} is outside 1800-2200")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_web(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.I):
            raise ValueError("url must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _derive_id(self) -> Article:
        if not self.id:
            object.__setattr__(self, "id", derive_article_id(self.text))
        return self

    @property
    def digest(self) -> str:
        """Content digest of what the extraction and the index depend on: text and
        publication time, and the story key where there is one (so that filing an article
        under a story re-indexes it)."""
        key = content_digest(self.text) + "|" + self.published.isoformat()
        if self.story is not None:
            key += "|story:" + self.story
        return hashlib.sha256(key.encode()).hexdigest()[:32]


class TimexType(StrEnum):
    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class AnchorKind(StrEnum):
    """What an expression was resolved against."""

    PUBLICATION = "publication"  #: the document creation time
    EVENT = "event"  #: the time of an earlier event (or the expression that dates it)
    NONE = "none"  #: absolute, or not resolvable to a point


class Anchor(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: AnchorKind
    #: id of the event or time expression it was resolved against, for ``event``
    ref: str | None = None


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class TimeExpression(BaseModel):
    """One TIMEX3: where it is in the text, what it means, and how that was decided."""

    id: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    type: TimexType
    value: str
    mod: str | None = None
    #: the interval the expression denotes (inclusive start, exclusive end), when it
    #: denotes one; durations and vague references carry none
    earliest: datetime | None = None
    latest: datetime | None = None
    anchor: Anchor = Anchor(kind=AnchorKind.NONE)
    #: the rule family that produced it (for diagnostics)
    rule: str | None = None


class RelationType(StrEnum):
    BEFORE = "BEFORE"
    AFTER = "AFTER"
    SIMULTANEOUS = "SIMULTANEOUS"
    INCLUDES = "INCLUDES"
    IS_INCLUDED = "IS_INCLUDED"


class Relation(BaseModel):
    """``type`` holds between this event and ``target`` (this event is BEFORE target...)."""

    model_config = ConfigDict(frozen=True)

    type: RelationType
    target: str
    evidence: Span | None = None


class TimeSource(StrEnum):
    OWN = "own"  #: an expression inside the event's clause
    SENTENCE = "sentence"  #: the expression governing its sentence
    DISCOURSE = "discourse"  #: carried over from earlier text («وفي اليوم نفسه»)
    RELATION = "relation"  #: derived from a related event's time
    PUBLICATION = "publication"  #: reported as happening at publication time


class EventTime(BaseModel):
    timex: str | None = None
    value: str | None = None
    source: TimeSource


class OrderBasis(StrEnum):
    TIME = "time"  #: placed by its time bounds
    RELATION = "relation"  #: placed by a stated relation to another event
    TEXT = "text"  #: order unknown; kept in text order


class Event(BaseModel):
    id: str
    #: the clause holding the event
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    trigger: Span
    text: str
    time: EventTime | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    relations: list[Relation] = Field(default_factory=list)
    order: OrderBasis = OrderBasis.TEXT
    reporting: bool = False
    #: id of the body event that a headline event repeats
    same_as: str | None = None


class Contradiction(BaseModel):
    events: list[str]
    message: str


class Timeline(BaseModel):
    schema_version: str = SCHEMA_VERSION
    article_id: str
    published: AwareDatetime
    published_fallback: bool = False
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    digest: str | None = None
    time_expressions: list[TimeExpression] = Field(default_factory=list)
    #: chronological, earliest first
    events: list[Event] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)


class IndexedEvent(BaseModel):
    """One report of a happening: an article's event as the cross-article index holds it.

    It is also what a :class:`TimelineEntry` lists as its sources.
    """

    # read by the thousand from the index: values (event texts) are mostly distinct,
    # so only the keys are worth interning while parsing
    model_config = ConfigDict(cache_strings="keys")

    article_id: str
    event_id: str
    outlet: str | None = None
    text: str
    trigger: str
    value: str | None = None
    earliest: datetime
    latest: datetime
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    story: str | None = None
    #: the reporting clause that attributes it («قال متحدث باسم الوفد»), if any
    attribution: str | None = None
    #: other events of the same article folded into this one (a lead repeated in the body)
    also: list[str] = Field(default_factory=list)
    #: the normalized content words of the event's own clause (what grouping compares)
    words: list[str] = Field(default_factory=list)

    @property
    def ref(self) -> str:
        """``article_id/event_id``: unique across the index."""
        return f"{self.article_id}/{self.event_id}"


class Disagreement(BaseModel):
    """Sources that give different dates for what is one happening."""

    #: each date given (a day, or ``first … last``) with the outlets (or articles) giving it
    dates: dict[str, list[str]]
    message: str


class TimelineEntry(BaseModel):
    """One happening on a merged timeline, with every report of it.

    ``earliest``/``latest`` are the tightest bounds the reports agree on; where they
    disagree (``disagreement``) they span all the dates given.
    """

    #: stable id: the ref of its first report
    key: str
    text: str
    trigger: str
    value: str | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    sources: list[IndexedEvent]
    outlets: list[str] = Field(default_factory=list)
    disagreement: Disagreement | None = None
    #: why the reports were taken for one happening, one line per merge
    merged_because: list[str] = Field(default_factory=list)


class EntryPage(BaseModel):
    """A page of a merged timeline; ``next`` is the cursor of the following page."""

    entries: list[TimelineEntry]
    next: str | None = None


class ArticleState(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class ArticleStatus(BaseModel):
    article_id: str
    state: ArticleState
    error: str | None = None
    task_id: str | None = None
    attempts: int = 0
    updated: datetime | None = None
    digest: str | None = None


class FailedArticle(BaseModel):
    article_id: str
    error: str
    failed_at: datetime
    payload: str | None = None


class ArticleView(BaseModel):
    """An article's state and its timeline as entries: one per happening."""

    article_id: str
    state: ArticleState
    error: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    story: str | None = None
    entries: list[TimelineEntry] = Field(default_factory=list)
    #: clauses left out (no time and no happening of their own); ``all`` shows them
    hidden: int = 0
