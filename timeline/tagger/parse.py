"""Parsing: find time expressions in folded text and read their slots.

No reference time is involved here: a mention says what was written (a weekday,
an offset of two days back, a month with no year), and :mod:`.resolve` later
decides what it denotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from timeline.tagger.context import COMPARE_WORDS, CUE_PREFIXES, CUE_WORDS
from timeline.tagger.grammar import CLITIC, GRAMMAR, Rule, number_key
from timeline.tagger.lexicon import LEXICON, normalise, trie_regex
from timeline.tagger.mention import Mention
from timeline.tagger.numbers import parse_number, parse_ordinal

_WORD = re.compile(r"\w+")
_CLITIC_CHARS = frozenset(LEXICON.lists["conjunction"] + LEXICON.lists["preposition_clitic"])
_LAM = LEXICON.lists["article"][0][1]
_ALEF = LEXICON.lists["article"][0][0]
_RULE_ORDER = {rule.name: i for i, rule in enumerate(GRAMMAR.rules)}
_GLUED_DIGITS = re.compile(r"(?<=[^\W\d_])\d")
#: what may follow digits inside one number or date (12/3، 15:30، 4-5-2017)
_NUMBER_JOINERS = "/:.-"
#: the word at a number and what follows it: a joiner, or the next word past a space
_NUMBER_WORD = re.compile(r"(\w+)(?:([" + re.escape(_NUMBER_JOINERS) + r"])| (\w+))?")


#: the rest of a heading that names a range of years («2014 إلى 2016 -»)
_HEADING_RANGE = re.compile(
    r"[^\S\n]*" + LEXICON.regex("range_link") + r"[^\S\n]*\d{4}[^\S\n]*[-–—]?[^\S\n]*"
)
_CLITIC_PREFIX = re.compile(CLITIC.pattern)
#: the scan of the text: the words of the index, as ``GRAMMAR.word_starts`` finds them,
#: and the words a future cue may begin with (see :class:`.context.Context`), so that
#: sentences need no scan of their own for cues: group 1 the word (of either kind),
#: group 2 the word after it; or else group 3 (empty): the beginning of a future verb
_SCAN = re.compile(
    r"\W(?:(" + trie_regex(GRAMMAR.words | CUE_WORDS | COMPARE_WORDS) + r")(?!\w)(?=(?: (\w+)|))"
    r"|" + trie_regex(CUE_PREFIXES) + r"())"
).finditer
_INDEX_WORDS = GRAMMAR.words
#: the words of the scan a future cue may begin with
_CUE_SCAN_WORDS = frozenset(
    w for w in GRAMMAR.words | CUE_WORDS if w in CUE_WORDS or w.startswith(CUE_PREFIXES)
)
#: «من 54.0»، «عن نحو 3%»: the figure something rose or fell from, right before a number
_FROM_FIGURE_BEFORE = re.compile(r"(?:^|\W)(?:من|عن)\s+(?:\w+\s+)?$")


class Scan(NamedTuple):
    """What one pass over a folded text finds."""

    #: the time expressions, without overlaps, in text order
    mentions: list[Mention]
    #: where a future cue may begin (for :class:`.context.Context`)
    cue_starts: list[int]
    #: where a comparison may begin: a word of comparison («مقارنة»، «مقابل») or the
    #: figure after «من/عن» (for :meth:`.resolve.Resolver.compared`), in text order
    compare_starts: list[int]


@lru_cache(maxsize=1 << 14)
def _slot_value(table: str, text: str) -> Any:
    """The value of one named group: numbers parsed, lexicon words looked up."""
    if table in ("day", "ordinal"):
        return parse_ordinal(text)
    if table in ("year", "hyear", "nmonth", "nhmonth", "minute", "hour_digits", "day_digits"):
        return int(LEXICON.without_article(text))
    if table == "num":
        return parse_number(text)
    if table == "unit":
        return LEXICON.unit(text)
    if table in LEXICON.values:
        for candidate in LEXICON.bare_forms(text):
            value = LEXICON.lookup(table, candidate)
            if value is not None:
                return value
        return None
    return normalise(text)


@lru_cache(maxsize=1 << 14)
def _read_slots(order: int, texts: tuple[str | None, ...]) -> tuple[dict[str, Any], bool]:
    """The slots of a match of the rule ``order`` whose groups read ``texts`` (shared:
    copy before changing), and whether they fail one of its slot checks."""
    rule = GRAMMAR.rules[order]
    slots: dict[str, Any] = dict(rule.slots)
    for number, slot, table in rule.slot_groups:
        text = texts[number - 1]
        if text is None:
            continue
        value = _slot_value(table, text)
        if value is not None:
            slots.setdefault(slot, value)
    probe = Mention(0, 0, rule.kind, rule.name, rule.family, slots)
    return slots, not all(check("", probe) for check in _SLOT_RULE_CHECKS[order])


def _words_before(text: str, start: int, count: int) -> list[str]:
    window = text[max(0, start - 20 * count) : start]
    return _WORD.findall(window)[-count:]


def _words_after(text: str, end: int, count: int) -> list[str]:
    return _WORD.findall(text[end : end + 20 * count])[:count]


def before_phrase(text: str, start: int, table: str, words: int = 3) -> bool:
    """Whether one of ``table``'s words or phrases ends right before ``start`` (its
    first word perhaps behind a clitic: «لصلاة الجمعة»)."""
    return _ends_with_phrase(table, tuple(_words_before(text, start, words)))


@lru_cache(maxsize=1 << 14)
def _ends_with_phrase(table: str, before: tuple[str, ...]) -> bool:
    for i in range(len(before)):
        phrase = before[i:]
        if LEXICON.has(table, " ".join(phrase)):
            return True
        head = _CLITIC_PREFIX.match(phrase[0])
        if head and LEXICON.has(table, " ".join([phrase[0][head.end() :], *phrase[1:]])):
            return True
    return False


def _after_phrase(text: str, end: int, table: str, words: int = 3) -> bool:
    return _begins_with_phrase(table, tuple(_words_after(text, end, words)))


@lru_cache(maxsize=1 << 14)
def _begins_with_phrase(table: str, after: tuple[str, ...]) -> bool:
    return any(LEXICON.has(table, " ".join(after[: i + 1])) for i in range(len(after)))


def _check_not_name(text: str, m: Mention) -> bool:
    return not before_phrase(text, m.match_start, "name_head", 1)


def _check_not_age(text: str, m: Mention) -> bool:
    unit = m.slots.get("unit")
    if unit is None or unit.grain != "Y":
        return True
    if before_phrase(text, m.match_start, "age_cue", 3):
        return False
    if _after_phrase(text, m.match_end, "age_after", 3):
        return False
    # appositive age: «سمير خليل، 47 عاما، مهندس» or «(30 عاما)»
    before = text[max(0, m.match_start - 3) : m.match_start].strip()
    after = text[m.match_end : m.match_end + 3].strip()
    if after[:1] in ("،", ",", ")"):
        if before[-1:] in ("،", ",", "("):
            return False
        # «قتل سالم صباح 17 عاما، و…»: a name, not a verb or a preposition, before it
        previous = _words_before(text, m.match_start, 1)
        digits = text[m.match_start : m.match_start + 1].isdigit()
        if digits and previous and not LEXICON.has("duration_governor", previous[0]):
            return LEXICON.has_prefix("article", previous[0])
    return True


def _check_month_alone(text: str, m: Mention) -> bool:
    """A month named alone is a month unless its word is also a common word (مارس،
    آب): then it needs a preposition or شهر before it, and no clitic (باب، ومارس)."""
    if (
        m.slots.get("paired")
        or m.slots.get("direction") is not None
        or m.slots.get("year_rel") is not None
    ):
        return True
    if m.slots.get("shahr") or m.slots.get("mod"):
        return True
    word = text[m.start : m.end].rsplit(maxsplit=1)[-1]
    if not LEXICON.has("month_ambiguous_alone", word):
        return True
    if m.slots.get("clitic"):
        return False
    return before_phrase(text, m.match_start, "month_context", 1)


def _check_hmonth_alone(text: str, m: Mention) -> bool:
    if (
        m.slots.get("direction") is not None
        or m.slots.get("year_rel") is not None
        or m.slots.get("shahr")
    ):
        return True
    word = text[m.start : m.end]
    if LEXICON.has("hmonth_needs_context", word) or LEXICON.has(
        "conjunction", m.slots.get("clitic", "")
    ):
        return False
    return before_phrase(text, m.match_start, "hmonth_context", 1)


def _check_bare_year(text: str, m: Mention) -> bool:
    if _after_phrase(text, m.match_end, "count_noun", 1):
        return False
    if m.slots.get("mod"):
        return True
    after = text[m.match_end : m.match_end + 2]
    if after[:1] in ("%", "٪") or re.match(r"\s?[%٪]", after):
        return False
    if LEXICON.has("conjunction", m.slots.get("clitic", "")):
        return True  # «عامي 2013 و2014»
    if text[m.match_end : m.match_end + 1] in _NAME_CLOSERS:
        return True  # the year that ends a quoted name: «خطة الطاقة الشمسية 2030"»
    return before_phrase(text, m.match_start, "year_context", 2)


#: what closes a quoted or bracketed name
_NAME_CLOSERS = frozenset('"»”)')


def _check_count_agrees(text: str, m: Mention) -> bool:
    """A number word for one or two never counts a plural (أحد الأيام is not 1 day)."""
    num = m.slots.get("num")
    unit = m.slots.get("unit")
    if num is None or unit is None:
        return True
    return not (num in (1, 2) and unit.form == "many")


def _check_not_series(text: str, m: Mention) -> bool:
    return not _after_phrase(text, m.match_end, "series_cue", 2)


def _check_clock(text: str, m: Mention) -> bool:
    """An hour is a clock time with الساعة, a part of the day, a colon or a time zone, or
    as a word with its minutes (الثالثة والربع، الثامنة وعشر دقائق); alone it is an
    ordinal, and digits with minutes may be two lengths (بين 15 و20 دقيقة). The
    abbreviations ص/م mark a clock time only after a colon or الساعة: «22 م د» is 22
    million dinars."""
    if str(m.slots.get("clock_part", "")).endswith(_ABBREVIATED) and not (
        m.slots.get("saa") or m.slots.get("colon")
    ):
        return False
    return bool(
        m.slots.get("saa")
        or m.slots.get("clock_part")
        or m.slots.get("colon")
        or m.slots.get("zone")
        or (
            m.slots.get("hour") is not None
            and (m.slots.get("clock_minute") is not None or m.slots.get("minute_words") is not None)
        )
    )


#: the values of the parts of the day written as one letter (ص، م)
_ABBREVIATED = "_letter"

#: the ending of an indefinite noun in the accusative (راتبا)
_ACCUSATIVE = "ا"


def _check_adverb(text: str, m: Mention) -> bool:
    """«يتقاضاه شهريا» repeats; «يتقاضى راتبا شهريا» is an adjective of the indefinite
    accusative noun before it, unless a number counts that noun (20 دينارا شهريا)."""
    before = _words_before(text, m.match_start, 2)
    if not before or len(before[-1]) < 4 or not before[-1].endswith(_ACCUSATIVE):
        return True
    return len(before) == 2 and parse_number(before[0]) is not None


_LINE_FILL = re.compile(r"[^\S\n]*[-–—*•][^\S\n]*|[^\S\n]*")


def _check_line_alone(text: str, m: Mention) -> bool:
    """A year on a line of its own (a heading «- 2013 -» of a chronology)."""
    line_start = text.rfind("\n", 0, m.match_start) + 1
    line_end = text.find("\n", m.match_end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start : m.match_start]
    after = text[m.match_end : line_end]
    if not _LINE_FILL.fullmatch(before):
        return False
    return bool(_LINE_FILL.fullmatch(after)) or _HEADING_RANGE.fullmatch(after) is not None


_LISTED_NAME = re.compile(r"[^\S\n]*\w+[^\S\n]*[،,]")


def _check_not_listed_name(text: str, m: Mention) -> bool:
    """«… ادغار معلوف، الان عون، حكمت ديب …»: a first name in a list of names
    (Alain), not «الآن»: one word, then a comma, after a comma."""
    if not LEXICON.has("name_like_time", text[m.start : m.end]):
        return True
    before = text[max(0, m.match_start - 3) : m.match_start].rstrip()
    return not (before[-1:] in ("،", ",") and _LISTED_NAME.match(text, m.match_end))


_SENTENCE_CHARS = ".!?؟\n"


def _check_sport_context(text: str, m: Mention) -> bool:
    """A bare «الموسم» is the season of sport only in a sentence about sport; with a
    demonstrative or a direction it needs no such sentence."""
    if m.slots.get("demonstrative") or m.slots.get("direction"):
        return True
    lo = max(text.rfind(c, 0, m.start) for c in _SENTENCE_CHARS) + 1
    ends = [e for c in _SENTENCE_CHARS if (e := text.find(c, m.end)) >= 0]
    hi = min(ends) if ends else len(text)
    words = _WORD.findall(text, lo, hi)
    return any(
        LEXICON.has("sport_context", w) or LEXICON.has("sport_context", w[1:]) for w in words
    )


def _check_governed_length(text: str, m: Mention) -> bool:
    """A bare plural length needs a verb of lasting before it («يستغرق أسابيع»), or a
    length just before it that it is coordinated with («أسابيع أو أشهرا»)."""
    before = _words_before(text, m.match_start, 2)
    if before and LEXICON.has("length_verb", before[-1]):
        return True
    return (
        len(before) == 2 and before[-1] in ("أو", "او", "و") and LEXICON.unit(before[0]) is not None
    )


CHECKS: dict[str, Callable[[str, Mention], bool]] = {
    "line_alone": _check_line_alone,
    "not_name": _check_not_name,
    "not_age": _check_not_age,
    "month_alone": _check_month_alone,
    "hmonth_alone": _check_hmonth_alone,
    "bare_year": _check_bare_year,
    "count_agrees": _check_count_agrees,
    "not_series": _check_not_series,
    "clock": _check_clock,
    "not_listed_name": _check_not_listed_name,
    "sport_context": _check_sport_context,
    "adverb": _check_adverb,
    "governed_length": _check_governed_length,
}


#: checks whose failure shows the words are no time at all (a name, an age)
_BLOCKING = frozenset({"not_name", "not_age"})
#: checks that read nothing but the slots of the words matched (not the text around
#: them, nor their clitic)
_SLOT_CHECKS = frozenset({"clock", "count_agrees"})
#: each rule's checks, by rule order: (check, whether its failure blocks); the slot
#: checks of a rule with no blocking check are run once per reading of its words instead
#: (:func:`_read_slots`), so that a rejected match costs no mention
_RULE_CHECKS: list[tuple[tuple[Callable[[str, Mention], bool], bool], ...]] = []
_SLOT_RULE_CHECKS: list[tuple[Callable[[str, Mention], bool], ...]] = []
for _rule in GRAMMAR.rules:
    _early = set() if _BLOCKING & set(_rule.checks) else _SLOT_CHECKS & set(_rule.checks)
    _SLOT_RULE_CHECKS.append(tuple(CHECKS[c] for c in _rule.checks if c in _early))
    _RULE_CHECKS.append(tuple((CHECKS[c], c in _BLOCKING) for c in _rule.checks if c not in _early))


def _starts(word: str) -> list[tuple[int, str, str]]:
    """Where in a word an expression may begin: (offset, clitic, word from there)."""
    starts = [(0, "", word)]
    if word[0] in _CLITIC_CHARS:
        prefix = _CLITIC_PREFIX.match(word)
        if prefix:
            for k in range(1, prefix.end() + 1):
                rest = word[k:]
                if not rest:
                    continue
                starts.append((k, word[:k], rest))
                if word[k - 1] == _LAM and rest[0] == _LAM:
                    # «للعام»: ل + the article whose alef is elided
                    starts.append((k, word[:k], _ALEF + rest))
    if not word.isalpha():
        digits = _GLUED_DIGITS.search(word)
        if digits:
            starts.append((digits.start(), "", word[digits.start() :]))
    return starts


#: one rule to try at a word: (offset into the word, clitic before it, the rule's
#: ``match`` method, rule order, rule)
_Attempt = tuple[int, str, Callable[[str, int], "re.Match[str] | None"], int, Rule]


def _attempts(steps: list[tuple[int, str, tuple[Rule, ...]]]) -> tuple[_Attempt, ...]:
    """The rules to try, flattened: each rule once at each offset (the first clitic
    that reaches it wins), in order."""
    seen: set[tuple[int, str]] = set()
    out = []
    for offset, clitic, rules in steps:
        for rule in rules:
            if (offset, rule.name) in seen:
                continue
            seen.add((offset, rule.name))
            out.append((offset, clitic, rule.regex.match, _RULE_ORDER[rule.name], rule))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _plan(word: str, following: str | None) -> tuple[_Attempt, ...]:
    """For one word (and the word after it, when only a gap parts them): where an
    expression may begin in it and which rules to try there."""
    steps = []
    for offset, clitic, key in _starts(word):
        if following is None:
            rules = GRAMMAR.rules_for(key)
        else:
            rules = GRAMMAR.rules_for_pair(key, following)
        if rules:
            steps.append((offset, clitic, rules))
    return _attempts(steps)


@lru_cache(maxsize=1 << 14)
def _number_plan(word: str, joiner: str | None, following: str | None) -> tuple[_Attempt, ...]:
    """The rules to try at the word of a number, by the joiner that follows its digits
    (``12/``, ``2017-``: digits that go on) or else by the word after it."""
    if joiner is not None and word.isdigit():
        # «2017/3/12»، «15:30»، «52.2»: digits that go on, tried as such
        key = number_key(word, joiner)
        return _attempts([(0, "", GRAMMAR.index.get(key, ()))]) if key else ()
    return _plan(word, following)


#: a match not yet read: (minus its length, start, rule order, arrival, rule, match,
#: clitic); sorted as it is, longest first, then the earlier, then the rule listed
#: first, then the first found (the arrival number is unique, so the sort never
#: compares rules)
_Raw = tuple[int, int, int, int, Rule, re.Match[str], str]


def _matches(text: str, start: int, plan: tuple[_Attempt, ...], out: list[_Raw]) -> None:
    """Every rule's match starting at the word at ``start`` or right after its
    clitic (والخميس، للعام), or at the digits glued to its end (في19)."""
    for offset, clitic, match_at, order, rule in plan:
        at = start + offset
        match = match_at(text, at)
        if match is not None:
            out.append((at - match.end(), at, order, len(out), rule, match, clitic))


def _mention(rule: Rule, slots: dict[str, Any], match: re.Match[str], clitic: str) -> Mention:
    match_start, match_end = span_start, span_end = match.span()
    span = rule.span_group
    if span is not None and match.group(span) is not None:
        span_start, span_end = match.span(span)
    slots = dict(slots)
    if clitic:
        slots["clitic"] = clitic
    return Mention(
        span_start, span_end, rule.kind, rule.name, rule.family, slots, match_start, match_end
    )


_WORD_CHAR = re.compile(r"\w")
_GLUE = re.compile(r"[^\W\d_]")


def _number_starts(text: str) -> list[int]:
    """Where numbers begin, in text order: at the beginning of their word, behind a
    clitic and the article (و2017، بال26), or at digits glued to a word (في19)."""
    found = []
    number_start = GRAMMAR.number_start
    reach = GRAMMAR.number_prefix
    for run in GRAMMAR.digit_runs.finditer(text):
        digit = run.start()
        if digit == 0 or _WORD_CHAR.match(text, digit - 1) is None:
            found.append(digit)  # a word that begins with the number
            continue
        for at in range(max(0, digit - reach), digit):
            begun = number_start.match(text, at)
            if begun is not None and begun.end() == digit + 1:
                found.append(at)
                break
        else:
            if _GLUE.match(text, digit - 1):
                found.append(digit)
    return found


def _number_matches(text: str, at: int, out: list[_Raw]) -> None:
    """The matches of the rules that may begin at the number (or its word) at ``at``."""
    word = _NUMBER_WORD.match(text, at)
    if word is not None:
        _matches(text, at, _number_plan(*word.groups()), out)


def parse(text: str) -> list[Mention]:
    """All time expressions of folded ``text``, without overlaps, in text order."""
    return scan(text)[0]


def scan(text: str) -> Scan:
    """All time expressions of folded ``text``, as :func:`parse` finds them, and where a
    future cue or a comparison may begin, found on the way.

    Every rule that may begin at a word is tried there; the matches are then taken
    longest first, skipping those that overlap one already taken, and only then read
    and checked against their context (a check may reject a match, and a name or an
    age then blocks everything inside it).
    """
    raw: list[_Raw] = []
    append = raw.append
    numbers = _number_starts(text)
    n = 0
    pending = numbers[0] if numbers else len(text)
    plan_of = _plan
    # a word of the index (its match begins at the non-word character before it:
    # the text is scanned with a space in front)
    cue_starts: list[int] = []
    compare_starts = [at for at in numbers if _FROM_FIGURE_BEFORE.search(text, max(0, at - 24), at)]
    for hit in _SCAN(" " + text):
        start = hit.start()
        word, following, _ = hit.groups()
        if word is None:
            cue_starts.append(start)
            continue
        if word in COMPARE_WORDS:
            compare_starts.append(start)
            if word not in _INDEX_WORDS and word not in _CUE_SCAN_WORDS:
                continue
        if word in _CUE_SCAN_WORDS:
            cue_starts.append(start)
            if word not in _INDEX_WORDS:
                continue
        while pending < start:
            _number_matches(text, pending, raw)
            n += 1
            pending = numbers[n] if n < len(numbers) else len(text)
        # its plan by the word after it
        for offset, clitic, match_at, order, rule in plan_of(word, following):
            at = start + offset
            match = match_at(text, at)
            if match is not None:
                append((at - match.end(), at, order, len(raw), rule, match, clitic))
    for at in numbers[n:]:
        _number_matches(text, at, raw)
    # longest first; on a tie the earlier, then the rule listed first
    raw.sort()
    chosen: list[Mention] = []
    blocked: list[tuple[int, int]] = []
    taken = bytearray(len(text) + 1)
    #: the characters inside some blocked match: a mention not wholly among them is
    #: inside none, and the list is searched only for those that are
    inside_blocked = bytearray(len(text) + 1)
    for minus_length, m_start, order, _, rule, match, clitic in raw:
        m_end = m_start - minus_length
        if taken.find(1, m_start, m_end) >= 0:
            continue
        slots, rejected = _read_slots(order, match.groups())
        if rejected:
            continue
        m = _mention(rule, slots, match, clitic)
        if m.end <= m.start or (
            inside_blocked.find(0, m.start, m.end) < 0
            and any(a <= m.start and m.end <= b for a, b in blocked)
        ):
            continue
        checks = _RULE_CHECKS[order]
        if checks:
            failed = [blocks for check, blocks in checks if not check(text, m)]
            if failed:
                if any(failed):
                    # a name or an age: nothing inside it is a time either
                    blocked.append((m_start, m_end))
                    inside_blocked[m_start:m_end] = b"\x01" * (m_end - m_start)
                continue
        chosen.append(m)
        taken[m_start:m_end] = b"\x01" * (m_end - m_start)
    chosen.sort(key=lambda m: m.start)
    compare_starts.sort()
    return Scan(chosen, cue_starts, compare_starts)
