"""The inventory of ``timeline/data/inventory.toml``, built into cells to test.

Phrases are built from the tables: for the lengths, a frame's template with a number in
words (in the gender the counted noun asks for), in digits of a script, as a fraction or
as a plural, and the unit's form that goes with it; the other dimensions write their
sentences out, their expressions in [brackets]. Every expected value is computed here
from the reference time with calendar arithmetic of this module's own (hijridate for the
Umm al-Qura calendar, a computus for Easter), never with the tagger's code.
:func:`problems` then tags each phrase and says where the tagger differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from hijridate import Gregorian, Hijri

from timeline.tagger import tag
from timeline.tagger.lexicon import load_toml

#: the ISO 8601 designators of the grains, and whether they are of the clock
_CODE = {"S": "S", "MI": "M", "H": "H", "D": "D", "W": "W", "M": "M", "Y": "Y"}
_CLOCK = frozenset({"S", "MI", "H"})
#: grains counted in years
_YEARS = {"DE": 10, "CE": 100, "ML": 1000}
#: a grain, the next finer one and how many of those it holds
_FINER = {
    "ML": ("Y", 1000),
    "CE": ("Y", 100),
    "DE": ("Y", 10),
    "Y": ("M", 12),
    "M": ("D", 30),
    "W": ("D", 7),
    "D": ("H", 24),
    "H": ("MI", 60),
    "MI": ("S", 60),
}
#: grains of which an unstated number back from now is PAST_REF (قبل سنوات), not a length
_LONG_AGO = frozenset({"Y", "DE", "CE", "ML"})
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_BRACKETS = re.compile(r"\[([^\[\]]+)\]")


@dataclass(frozen=True)
class Expected:
    """One expression a phrase must yield: its span and TIMEX3 fields."""

    text: str
    start: int
    type: str
    value: str
    mod: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    expect: tuple[Expected, ...]


@dataclass(frozen=True)
class Negative:
    """A sentence in which nothing is found (or, with ``absent``, not those words)."""

    text: str
    absent: str | None = None


@dataclass(frozen=True)
class Cell:
    dimension: str
    id: str
    row: str
    column: str
    phrases: tuple[Phrase, ...]
    negatives: tuple[Negative, ...]
    xfail: str | None = None


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str
    description: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[Cell, ...]


@cache
def data() -> dict[str, Any]:
    return load_toml("inventory.toml")


def _negatives(items: list[dict[str, Any]]) -> tuple[Negative, ...]:
    return tuple(Negative(n["text"], n.get("absent")) for n in items)


def reference() -> datetime:
    return datetime.fromisoformat(data()["reference"])


@cache
def dimensions() -> tuple[Dimension, ...]:
    raw = data()
    ref = reference()
    out = [_lengths(raw["lengths"], ref)]
    for name in ("clock", "holidays", "hijri", "eras", "periods", "repetitions", "gaps"):
        out.append(_explicit(name, raw[name], ref))
    return tuple(out)


def cells() -> list[Cell]:
    return [cell for dimension in dimensions() for cell in dimension.cells]


# --- checking --


def problems(cell: Cell) -> list[str]:
    """Where the tagger differs from the cell: a phrase not yielding exactly its
    expressions, a negative yielding what it must not."""
    ref = reference()
    out = []
    for phrase in cell.phrases:
        got = [(t.text, t.start, t.type.value, t.value, t.mod) for t in tag(phrase.text, ref)]
        want = [(e.text, e.start, e.type, e.value, e.mod) for e in phrase.expect]
        if got != want:
            out.append(f"{phrase.text}\n  got  {got}\n  want {want}")
    for negative in cell.negatives:
        found = tag(negative.text, ref)
        if negative.absent is not None:
            at = negative.text.index(negative.absent)
            end = at + len(negative.absent)
            found = [t for t in found if t.start < end and at < t.end]
        if found:
            out.append(f"{negative.text}\n  found {[(t.text, t.value) for t in found]}")
    return out


# --- lengths: numbers × units × frames --


@dataclass(frozen=True)
class _Length:
    """A length as written, indefinite and definite, the key of the words that agree
    with it, and the amount of units it stands for (None: unstated)."""

    indefinite: str
    definite: str
    agree: str
    amount: float | None


def _lengths(raw: dict[str, Any], ref: datetime) -> Dimension:
    frames = {f["name"]: f for f in raw["frame"]}
    unit_negatives = {name: _negatives(items) for name, items in raw["unit_negatives"].items()}
    xfails = raw.get("xfail", {})
    cells = []
    for number_class in raw["class"]:
        class_negatives = _negatives(number_class.get("negatives", []))
        for spec in number_class["cells"]:
            frame_name, unit_name, *number = spec.split()
            frame = frames[frame_name]
            unit = raw["unit"][unit_name]
            length = _length(raw, number_class, unit, number[0] if number else None)
            phrases = tuple(
                _length_phrase(sentence, frame, unit, length, ref)
                for sentence in frame["phrasings"]
            )
            negatives = (
                class_negatives
                + unit_negatives.get(unit_name, ())
                + tuple(Negative(text) for text in frame.get("negatives", []))
            )
            cell_id = f"{frame_name}-{unit_name}-{number_class['name']}"
            cells.append(
                Cell(
                    "lengths",
                    cell_id,
                    frame_name,
                    number_class["name"],
                    phrases,
                    negatives,
                    xfails.get(cell_id),
                )
            )
    return Dimension(
        "lengths",
        raw["title"],
        raw["description"].strip(),
        tuple(f["name"] for f in raw["frame"]),
        tuple(c["name"] for c in raw["class"]),
        tuple(cells),
    )


def _length(
    raw: dict[str, Any], number_class: dict[str, Any], unit: dict[str, Any], number: str | None
) -> _Length:
    gender = unit["gender"]
    kind = number_class["name"]
    if kind == "one":
        return _Length(unit.get("alone", unit["one"]), unit["def_one"], f"one_{gender}", 1.0)
    if kind == "dual":
        return _Length(unit["dual"], unit["def_dual"], f"dual_{gender}", 2.0)
    if kind == "plural":
        return _Length(unit["plural"], unit["def_plural"], "plural", None)
    assert number is not None, number_class["name"]
    if kind == "fraction":
        spec = raw["fractions"][number]
        forms = {"one": unit["one"], "def_one": unit["def_one"], "dual": unit["dual"]}
        forms["def_dual"] = unit["def_dual"]
        return _Length(
            spec["form"].format(**forms),
            spec["definite"].format(**forms),
            f"one_{gender}",
            float(spec["amount"]),
        )
    value = int(number)
    noun = _counted_noun(unit, value)
    agree = "plural" if noun == unit["plural"] else "count"
    script = number_class.get("script")
    if script is not None:
        digits = "".join(raw["scripts"][script][int(d)] for d in str(value))
        return _Length(f"{digits} {noun}", f"الـ{digits} {noun}", agree, float(value))
    words = _number_words(raw["words"], value, 0 if gender == "m" else 1)
    definite = f"{unit['def_plural']} {_definite(words)}"
    return _Length(f"{words} {noun}", definite, agree, float(value))


def _counted_noun(unit: dict[str, Any], value: int) -> str:
    """The form of the noun after a number: the singular or the dual after 1 and 2, the
    plural after 3–10, the accusative singular after 11–99, the genitive singular after
    a round hundred or thousand."""
    rest = value % 100
    if value in (1, 2):
        return str(unit["one" if value == 1 else "dual"])
    if value >= 100 and rest == 0:
        return str(unit["one"])
    if 3 <= rest <= 10:
        return str(unit["plural"])
    return str(unit["tamyiz"])


def _number_words(words: dict[str, list[str]], value: int, form: int) -> str:
    """``value`` in words, in the form that goes with the counted noun's gender (0 for
    a masculine noun, 1 for a feminine one)."""
    if str(value) in words:
        return words[str(value)][form]
    if 13 <= value <= 19:
        return f"{words[str(value - 10)][form]} {words['teen'][form]}"
    if 21 <= value <= 99:
        return f"{words[str(value % 10)][form]} و{words[str(value // 10 * 10)][form]}"
    if value % 1000 == 0 and 3 <= value // 1000 <= 10:
        # the thousands are counted as a masculine noun
        return f"{words[str(value // 1000)][0]} {words['thousands'][0]}"
    raise ValueError(value)


def _definite(words: str) -> str:
    """Number words with the article: on the first word, and on a ten after و."""
    parts = words.split(" و")
    return " وال".join(["ال" + parts[0], *parts[1:]])


def _length_phrase(
    sentence: str, frame: dict[str, Any], unit: dict[str, Any], length: _Length, ref: datetime
) -> Phrase:
    forms = {
        "n": length.indefinite,
        "def": length.definite,
        "adj": frame.get("agree", {}).get(length.agree, ""),
    }
    expression = frame["template"].format(**forms)
    span = frame.get("span", frame["template"]).format(**forms)
    text = sentence.replace("{x}", expression)
    start = sentence.index("{x}") + expression.index(span)
    kind, value = _length_value(frame, unit["grain"], length, ref)
    return Phrase(text, (Expected(span, start, kind, value),))


def _length_value(
    frame: dict[str, Any], grain: str, length: _Length, ref: datetime
) -> tuple[str, str]:
    amount = length.amount
    reading = frame["reading"]
    if reading in ("ago", "ahead") and amount is not None:
        return offset(ref, amount if reading == "ahead" else -amount, grain)
    if amount is None and (reading == "first" or (reading == "ago" and grain in _LONG_AGO)):
        # some time long past, or the start of something past: no length
        return "DATE", "PAST_REF"
    one = length.agree.startswith("one_") and amount == 1
    if reading == "recent" and one and grain not in _CLOCK:
        # a single calendar unit so named is the period itself (الشهر المقبل)
        return "DATE", period_from(ref.date(), grain, int(frame["direction"]))
    return "DURATION", duration(amount, grain)


# --- calendar arithmetic of our own --


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + n, 12)
    return y, m + 1


def week_value(d: date) -> str:
    """The ISO week holding most of the Sunday-to-Saturday week of ``d``."""
    sunday = d - timedelta(days=(d.weekday() + 1) % 7)
    year, week, _ = (sunday + timedelta(days=3)).isocalendar()
    return f"{year}-W{week:02d}"


def period_from(today: date, grain: str, n: int) -> str:
    """The calendar period of ``grain`` ``n`` steps from the one holding ``today``."""
    if grain == "D":
        return (today + timedelta(days=n)).isoformat()
    if grain == "W":
        return week_value(today + timedelta(days=7 * n))
    if grain == "M":
        y, m = add_months(today.year, today.month, n)
        return f"{y:04d}-{m:02d}"
    if grain == "Y":
        return f"{today.year + n:04d}"
    return era_value(today.year + n * _YEARS[grain], grain)


def era_value(year: int, grain: str) -> str:
    """The decade (199), century (19) or millennium (1) that holds ``year``."""
    return str(year // _YEARS[grain]).zfill({"DE": 3, "CE": 2, "ML": 1}[grain])


def offset(ref: datetime, n: float, grain: str) -> tuple[str, str]:
    """``n`` units of ``grain`` from the reference time, at the grain named (a fraction
    counted in the next finer grain)."""
    while abs(n - round(n)) > 1e-9:
        grain, factor = _FINER[grain]
        n *= factor
    whole = round(n)
    if grain in _CLOCK:
        seconds = whole * {"S": 1, "MI": 60, "H": 3600}[grain]
        at = ref + timedelta(seconds=seconds)
        shape = "%Y-%m-%dT%H:%M:%S" if grain == "S" else "%Y-%m-%dT%H:%M"
        return "TIME", at.strftime(shape)
    today = ref.date()
    if grain == "D":
        return "DATE", (today + timedelta(days=whole)).isoformat()
    if grain == "W":
        return "DATE", (today + timedelta(days=7 * whole)).isoformat()
    return "DATE", period_from(today, grain, whole)


def duration(n: float | None, grain: str) -> str:
    """The ISO 8601 duration of ``n`` units (``PX…`` when unstated); decades and longer
    in years; a fraction as whole units and the rest in the next finer grain."""
    if n is None:
        # only minutes keep the T that tells them from months (PXH for hours)
        return f"P{'T' if grain == 'MI' else ''}X{_CODE.get(grain, grain)}"
    if grain in _YEARS:
        n, grain = n * _YEARS[grain], "Y"
    if grain == "W" and n != int(n):
        n, grain = n * 7, "D"
    whole = int(n)
    rest = n - whole
    parts: list[tuple[float, str]] = [(whole, grain)] if whole else []
    if rest > 1e-9 and grain in _FINER:
        finer, factor = _FINER[grain]
        parts.append((rest * factor, finer))
    elif rest > 1e-9:
        parts = [(n, grain)]
    date_part = "".join(f"{_amount(a)}{_CODE[g]}" for a, g in parts if g not in _CLOCK)
    clock_part = "".join(f"{_amount(a)}{_CODE[g]}" for a, g in parts if g in _CLOCK)
    return "P" + date_part + (f"T{clock_part}" if clock_part else "")


def _amount(a: float) -> str:
    return str(int(a)) if a == int(a) else f"{a:g}"


def hijri_date(year: int, month: int, day: int) -> date:
    g = Hijri(year, month, day).to_gregorian()
    return date(g.year, g.month, g.day)


def hijri_month(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a Hijri month (Umm al-Qura)."""
    first = hijri_date(year, month, 1)
    return first, first + timedelta(days=int(Hijri(year, month, 1).month_length()) - 1)


def hijri_today(d: date) -> tuple[int, int, int]:
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    return int(h.year), int(h.month), int(h.day)


def easter(year: int, church: str) -> date:
    """Easter Sunday: the Gregorian computus (anonymous algorithm) for the Western
    churches; Meeus' Julian computus, moved to the Gregorian calendar, for the Orthodox."""
    if church == "orthodox":
        a, b, c = year % 4, year % 7, year % 19
        d = (19 * c + 15) % 30
        e = (2 * a + 4 * b - d + 34) % 7
        month, day = divmod(d + e + 114, 31)
        julian_to_gregorian = year // 100 - year // 400 - 2
        return date(year, month, day + 1) + timedelta(days=julian_to_gregorian)
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _pick(occurrences: list[tuple[date, date]], today: date, direction: str) -> tuple[date, date]:
    """Of periods ``(first, last)`` in time order, the one a direction names: the latest
    begun by ``today`` (past), the first not over by it (future), strictly before or
    after it (prev, next), or the one holding it (current)."""
    tests: dict[str, Callable[[tuple[date, date]], bool]] = {
        "past": lambda p: p[0] <= today,
        "future": lambda p: p[1] >= today,
        "prev": lambda p: p[1] < today,
        "next": lambda p: p[0] > today,
        "current": lambda p: p[0] <= today <= p[1],
    }
    chosen = [p for p in occurrences if tests[direction](p)]
    return chosen[-1] if direction in ("past", "prev") else chosen[0]


def _holiday_dates(spec: dict[str, Any], today: date) -> list[date]:
    if "hijri" in spec:
        month, day = spec["hijri"]
        year = hijri_today(today)[0]
        return [hijri_date(y, month, day) for y in (year - 1, year, year + 1)]
    years = (today.year - 1, today.year, today.year + 1)
    if "easter" in spec:
        return [easter(y, spec["easter"]) for y in years]
    month, day = spec["gregorian"]
    return [date(y, month, day) for y in years]


def _season_value(spec: dict[str, Any], today: date) -> str:
    code = spec["season"]
    if "year" in spec or "year_shift" in spec:
        return f"{spec.get('year', today.year + spec.get('year_shift', 0))}-{code}"
    if "direction" not in spec:
        return f"XXXX-{code}"
    # seasons in time order around today: winter is named by the year of its December
    seasons = []
    for y in (today.year - 1, today.year, today.year + 1):
        for c in ("SP", "SU", "FA", "WI"):
            first = date(y, _SEASON_MONTH[c], 1)
            ny, nm = add_months(y, _SEASON_MONTH[c], 3)
            seasons.append(((first, date(ny, nm, 1) - timedelta(days=1)), f"{y}-{c}"))
    named = [(p, v) for p, v in seasons if v.endswith(code)]
    period = _pick([p for p, _ in named], today, spec["direction"])
    return dict(named)[period]


def _year(spec: dict[str, Any], today: date) -> int:
    return int(spec.get("year", today.year + spec.get("year_shift", 0)))


def expected(spec: dict[str, Any], ref: datetime) -> tuple[str, str]:
    """The type and value a recipe of the inventory names, from the reference time."""
    today = ref.date()
    if "clock" in spec:
        day = "XXXX-XX-XX" if spec.get("undated") else str(today + timedelta(spec.get("date", 0)))
        return "TIME", f"{day}T{spec['clock']}"
    if "date" in spec:
        return "DATE", (today + timedelta(days=spec["date"])).isoformat()
    if "holiday" in spec:
        calendar = data()["holidays"]["calendar"][spec["holiday"]]
        days = [(d, d) for d in _holiday_dates(calendar, today)]
        d = _pick(days, today, spec["direction"])[0] + timedelta(days=spec.get("shift", 0))
        if spec.get("night", calendar.get("night")):
            return "TIME", f"{d}TNI"
        return "DATE", d.isoformat()
    if "hijri" in spec:
        month = spec["hijri"]
        current = hijri_today(today)[0]
        years = [spec["year"]] if "year" in spec else [current - 1, current, current + 1]
        if "day" in spec:
            days = [(hijri_date(y, month, spec["day"]),) * 2 for y in years]
            if len(years) == 1:
                return "DATE", days[0][0].isoformat()
            return "DATE", _pick(days, today, spec["direction"])[0].isoformat()
        months = [hijri_month(y, month) for y in years]
        first, last = months[0] if len(years) == 1 else _pick(months, today, spec["direction"])
        return "DATE", f"{first}/{last}"
    if "hijri_year" in spec:
        n = spec["hijri_year"]
        year = n if n > 100 else hijri_today(today)[0] + n
        first = hijri_date(year, 1, 1)
        return "DATE", f"{first}/{hijri_date(year + 1, 1, 1) - timedelta(days=1)}"
    if "decade" in spec:
        prefix = today.year // 100 * 10 + spec["decade"]
        if prefix * 10 > today.year:
            prefix -= 10
        return "DATE", str(prefix)
    for grain, key in (("DE", "decade_shift"), ("CE", "century_shift"), ("ML", "millennium_shift")):
        if key in spec:
            return "DATE", era_value(today.year + spec[key] * _YEARS[grain], grain)
    if "century" in spec:
        return "DATE", f"{spec['century'] - 1:02d}"
    if "millennium" in spec:
        return "DATE", str(spec["millennium"] - 1)
    if "quarter" in spec:
        return "DATE", f"{_year(spec, today)}-Q{spec['quarter']}"
    if "half" in spec:
        return "DATE", f"{_year(spec, today)}-H{spec['half']}"
    if "months" in spec:
        y = _year(spec, today)
        first, last = spec["months"]
        return "DATE", f"{y}-{first:02d}/{y}-{last:02d}"
    if "month" in spec:
        return "DATE", period_from(today, "M", spec["month"])
    if "season" in spec:
        return "DATE", _season_value(spec, today)
    if "fiscal" in spec:
        return "DATE", "/".join(str(y) for y in spec["fiscal"])
    if "fiscal_shift" in spec:
        return "DATE", str(today.year + spec["fiscal_shift"])
    if "sport_season" in spec or "sport_season_shift" in spec:
        current = today.year if today.month >= 7 else today.year - 1
        start = spec.get("sport_season", current + spec.get("sport_season_shift", 0))
        return "DATE", f"{start}/{start + 1}"
    if "set" in spec:
        n, grain = spec["set"]
        return "SET", duration(float(n), grain)
    if "length" in spec:
        n, grain = spec["length"]
        return "DURATION", duration(float(n), grain)
    if "ref" in spec:
        return "DATE", str(spec["ref"])
    raise ValueError(f"no recipe in {spec}")


# --- the other dimensions: cells written out --


def _explicit(name: str, raw: dict[str, Any], ref: datetime) -> Dimension:
    negatives = _negatives(raw.get("negatives", {}).get("items", []))
    cells = []
    seen: dict[str, int] = {}
    for spec in raw["cell"]:
        base = f"{name}-{spec['row']}-{spec['column']}"
        seen[base] = seen.get(base, 0) + 1
        cell_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        cells.append(
            Cell(
                name,
                cell_id,
                spec["row"],
                spec["column"],
                (_bracketed(spec["text"], spec["expect"], ref),),
                negatives + _negatives(spec.get("negatives", [])),
                spec.get("xfail"),
            )
        )
    return Dimension(
        name,
        raw["title"],
        raw["description"].strip(),
        tuple(raw["rows"]),
        tuple(raw["columns"]),
        tuple(cells),
    )


def _bracketed(text: str, expect: list[dict[str, Any]], ref: datetime) -> Phrase:
    """A sentence whose expressions are in [brackets], with their recipes in order."""
    spans = list(_spans(text))
    if len(spans) != len(expect):
        raise ValueError(f"{len(spans)} spans and {len(expect)} values in {text!r}")
    found = []
    for (span, start), spec in zip(spans, expect, strict=True):
        kind, value = expected(spec, ref)
        found.append(Expected(span, start, kind, value, spec.get("mod")))
    return Phrase(_BRACKETS.sub(r"\1", text), tuple(found))


def _spans(text: str) -> Iterator[tuple[str, int]]:
    removed = 0
    for m in _BRACKETS.finditer(text):
        yield m.group(1), m.start() - removed
        removed += 2
