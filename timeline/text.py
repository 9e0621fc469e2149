"""Arabic text as it really comes, folded to one form for matching.

:func:`fold` removes diacritics, tatweel and bidi marks, unifies hamza/alef
variants, ta marbuta/ha and ya/alef maqsura, and turns Arabic-Indic and Persian
digits into ASCII. Every character of the folded text remembers where it came
from, so a match in the folded text maps back to exact ``str`` offsets in the
original.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

# Characters dropped while folding: tashkeel, superscript alef, tatweel, Quranic
# marks, zero-width and bidi controls, soft hyphen, BOM.
_DROPPED = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u00ad", "\ufeff"]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6)]
    + [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

_MAPPED: dict[str, str] = {
    # alef and hamza seats
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    # ya / alef maqsura, Persian ya and kaf
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    # ta marbuta written as ha (and the reverse confusion) fold together
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    # Arabic punctuation and spacing variants
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u3000": " ",
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2044": "/",
    "\u2215": "/",
    "\u00ab": '"',
    "\u00bb": '"',
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\ufd3e": "(",
    "\ufd3f": ")",
}
for _i in range(10):
    _MAPPED[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAPPED[chr(0x06F0 + _i)] = str(_i)  # Persian (Extended Arabic-Indic) digits


_MARKS = frozenset([chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"])
_TRAILING = _MARKS | {"\u0640"}
_FOLD_TABLE: dict[int, str] = {ord(c): "" for c in _DROPPED}
_FOLD_TABLE.update({ord(k): v for k, v in _MAPPED.items()})
_DROPPED_RE = re.compile("[" + "".join(sorted(_DROPPED)) + "]")


def fold_word(word: str) -> str:
    """Fold a lexicon entry or any short string the same way the text is folded."""
    return word.translate(_FOLD_TABLE)


@dataclass(frozen=True, slots=True)
class FoldedText:
    """The folded text and, for each of its characters, the index it came from."""

    original: str
    text: str
    origin: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span ``[start, end)`` back to the original text."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        origin = self.origin
        if type(origin) is _Origin and start >= 0 and end <= origin._length:
            # both ends at once, without indexing twice through the sequence protocol
            kept = origin._kept_before
            first = start + bisect.bisect_right(kept, start)
            stop = end + bisect.bisect_right(kept, end - 1)
        else:
            first, stop = origin[start], origin[end - 1] + 1
        # a word's trailing diacritics and tatweel belong to it
        original = self.original
        while stop < len(original) and original[stop] in _TRAILING:
            stop += 1
        return first, stop

    def original_slice(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


class _Origin(Sequence[int]):
    """Where each folded character came from, computed from the few dropped ones.

    With ``dropped`` the sorted original offsets of the dropped characters, the
    folded character ``i`` comes from ``i`` plus the number of dropped characters
    before it; ``_kept_before[j]`` is how many characters were kept before the
    ``j``-th dropped one, so that number is a bisection away.
    """

    def __init__(self, length: int, dropped: list[int]) -> None:
        self._length = length
        self._kept_before = [d - j for j, d in enumerate(dropped)]

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return index + bisect.bisect_right(self._kept_before, index)


#: the one-character replacements, applied one by one with ``str.replace`` (several
#: times faster than ``str.translate`` on Arabic text, where most characters stay)
_REPLACEMENTS = tuple(_MAPPED.items())


def fold(text: str) -> FoldedText:
    """Fold ``text`` for matching, keeping the way back to the original offsets."""
    origin: Sequence[int]
    dropped = [m.start() for m in _DROPPED_RE.finditer(text)]
    folded = _DROPPED_RE.sub("", text) if dropped else text
    for source, target in _REPLACEMENTS:
        if source in folded:
            folded = folded.replace(source, target)
    origin = _Origin(len(folded), dropped) if dropped else range(len(text))
    return FoldedText(original=text, text=folded, origin=origin)
