"""From times and relations to one chronological list.

1. Bounds. Each event starts from the interval of its time (if any); an
   untimed past event ends before publication, an untimed future one starts
   after it. Relations tighten the bounds until nothing changes: for «A BEFORE
   B» B cannot start before A and A cannot end after B; a measured gap («بعد
   ساعات») bounds them more closely; SIMULTANEOUS events share their bounds.
2. Contradictions. A cycle of BEFORE relations, or bounds that become empty
   (a relation against the stated dates), is reported and the relation that
   caused it set aside; the rest still orders the events. Inferred relations
   (the pluperfect, a weak «مع») that the dates deny are set aside unreported.
3. Order. A stable topological sort over the relations, choosing among the
   events free to come next the one with the smallest key: its earliest bound;
   for an event with no lower bound, the key of the event it is related to
   (just before or just after it) or, failing that, of the event told before it
   in its sentence (text order), else publication. An event timed by a part of a
   day sorts at its middle.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from datetime import datetime

from timeline.contract import Contradiction, RelationType, TimexType
from timeline.events._model import Draft, Link

#: (time, phase, anchor position, offset from the anchor, own position)
SortKey = tuple[float, int, int, float, int]

_MAX_ROUNDS = 64


@dataclass(slots=True)
class _Bounds:
    earliest: datetime | None
    latest: datetime | None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _sooner(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _empty(bounds: _Bounds) -> bool:
    return (
        bounds.earliest is not None
        and bounds.latest is not None
        and bounds.earliest >= bounds.latest
    )


def _initial(draft: Draft, published: datetime) -> tuple[datetime | None, datetime | None]:
    """The bounds an event has before any relation is applied."""
    if draft.interval is not None:
        return draft.interval.earliest, draft.interval.latest
    if draft.future:
        return published, None
    if draft.past or draft.clause.pluperfect:
        return None, published
    return None, None


def _ordered(link: Link) -> tuple[int, int] | None:
    """(earlier, later) for an ordering relation."""
    if link.type == RelationType.BEFORE:
        return link.source, link.target
    if link.type == RelationType.AFTER:
        return link.target, link.source
    return None


def _apply(link: Link, bounds: dict[int, _Bounds]) -> list[int]:
    """Tighten the bounds of the two events of ``link``; the events whose bounds changed."""
    changed: list[int] = []
    pair = _ordered(link)
    if pair is None:
        if link.type != RelationType.SIMULTANEOUS:
            return changed
        a, b = bounds[link.source], bounds[link.target]
        earliest, latest = _later(a.earliest, b.earliest), _sooner(a.latest, b.latest)
        for index, own in ((link.source, a), (link.target, b)):
            if own.earliest != earliest or own.latest != latest:
                own.earliest, own.latest = earliest, latest
                changed.append(index)
        return changed
    first, second = pair
    a, b = bounds[first], bounds[second]
    new_b_earliest = _later(b.earliest, None if a.earliest is None else a.earliest + link.least)
    new_a_latest = _sooner(a.latest, None if b.latest is None else b.latest - link.least)
    new_a_earliest, new_b_latest = a.earliest, b.latest
    if link.most is not None:
        if b.earliest is not None:
            new_a_earliest = _later(a.earliest, b.earliest - link.most)
        if a.latest is not None:
            new_b_latest = _sooner(b.latest, a.latest + link.most)
    if (new_a_earliest, new_a_latest) != (a.earliest, a.latest):
        a.earliest, a.latest = new_a_earliest, new_a_latest
        changed.append(first)
    if (new_b_earliest, new_b_latest) != (b.earliest, b.latest):
        b.earliest, b.latest = new_b_earliest, new_b_latest
        changed.append(second)
    return changed


def _cycles(drafts: list[Draft], links: list[Link]) -> list[Link]:
    """Links that close a cycle of BEFORE relations (the weakest of each cycle)."""
    closing: list[Link] = []
    active = list(links)
    while True:
        edges: dict[int, list[Link]] = {}
        for link in active:
            pair = _ordered(link)
            if pair is not None:
                edges.setdefault(pair[0], []).append(link)
        cycle = _find_cycle(len(drafts), edges)
        if cycle is None:
            return closing
        weakest = min(cycle, key=lambda link: (link.stated, -link.source))
        closing.append(weakest)
        active.remove(weakest)


def _find_cycle(count: int, edges: dict[int, list[Link]]) -> list[Link] | None:
    state = [0] * count  # 0 unseen, 1 on the stack, 2 done
    # an event no relation leaves is on no cycle: the search starts only at the others
    for root in sorted(edges):
        if state[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        path: list[Link] = []
        state[root] = 1
        while stack:
            node, next_edge = stack[-1]
            out = edges.get(node, [])
            if next_edge < len(out):
                stack[-1] = (node, next_edge + 1)
                link = out[next_edge]
                pair = _ordered(link)
                assert pair is not None
                child = pair[1]
                if state[child] == 1:
                    # the cycle is the part of the path from child to here, plus link
                    nodes = [n for n, _ in stack]
                    begin = nodes.index(child)
                    return [*path[begin:], link]
                if state[child] == 0:
                    state[child] = 1
                    stack.append((child, 0))
                    path.append(link)
            else:
                state[node] = 2
                stack.pop()
                if path:
                    path.pop()
    return None


def _describe(link: Link, drafts: list[Draft], why: str) -> Contradiction:
    source, target = drafts[link.source], drafts[link.target]
    cue = f" («{link.evidence.text}»)" if link.evidence is not None else ""
    return Contradiction(
        events=[source.id, target.id],
        message=(f"«{source.trigger[0]}» {link.type.value} «{target.trigger[0]}»{cue} {why}"),
    )


def tighten(drafts: list[Draft], published: datetime) -> tuple[list[Link], list[Contradiction]]:
    """Set each draft's earliest/latest from its time and relations.

    Returns the links that hold (for ordering) and the contradictions found.
    """
    links = [
        link
        for draft in drafts
        for link in draft.links
        # an inferred link between two events the text dates is left to their dates
        if link.stated
        or drafts[link.source].interval is None
        or drafts[link.target].interval is None
    ]
    contradictions: list[Contradiction] = []
    for link in _cycles(drafts, links):
        if link.stated:
            contradictions.append(_describe(link, drafts, "closes a cycle of stated order"))
        links.remove(link)
    while True:
        # only the events of a relation can move
        bounds = {
            index: _Bounds(*_initial(drafts[index], published))
            for link in links
            for index in (link.source, link.target)
        }
        culprit = _propagate(links, bounds)
        if culprit is None:
            break
        if culprit.stated:
            contradictions.append(
                _describe(culprit, drafts, "contradicts the times the text gives them")
            )
        # an inference (the pluperfect, «مع») that the dates deny is simply set aside
        links.remove(culprit)
    for draft in drafts:
        bound = bounds.get(draft.index)
        if bound is None:
            draft.earliest, draft.latest = _initial(draft, published)
        else:
            draft.earliest, draft.latest = bound.earliest, bound.latest
    return links, contradictions


def _propagate(links: list[Link], bounds: dict[int, _Bounds]) -> Link | None:
    """Apply the links until the bounds settle; the link that emptied an interval, if any."""
    for _ in range(_MAX_ROUNDS):
        moved = False
        for link in links:
            changed = _apply(link, bounds)
            if changed:
                moved = True
                if any(_empty(bounds[i]) for i in changed):
                    return link
        if not moved:
            return None
    # still moving: a cycle whose gaps push the bounds without end
    return links[-1] if links else None


def order(drafts: list[Draft], links: list[Link], published: datetime) -> list[Draft]:
    """The drafts in chronological order (see the module docstring).

    A headline event that repeats a body event (``same_as``) comes right after it.
    """
    keys = _keys(drafts, links, published)
    twins: dict[int, list[int]] = {}
    for draft in drafts:
        if draft.same_as is not None:
            twins.setdefault(draft.same_as, []).append(draft.index)
    repeats = {i for group in twins.values() for i in group}
    successors: dict[int, list[int]] = {}
    blockers = [0] * len(drafts)
    for link in links:
        pair = _ordered(link)
        if pair is None or pair[0] in repeats or pair[1] in repeats:
            continue
        successors.setdefault(pair[0], []).append(pair[1])
        blockers[pair[1]] += 1
    if not successors and not twins:
        # nothing holds an event back: the order of the keys (each ends with its
        # event's index, so no two are equal)
        return [drafts[key[-1]] for key in sorted(keys)]
    waiting = set(range(len(drafts))) - repeats
    # a key ends with its event's index, so keys alone order the heap
    ready = [keys[i] for i in waiting if blockers[i] == 0]
    heapq.heapify(ready)
    placed: list[int] = []
    while waiting:
        if not ready:
            # only possible if a cycle slipped through: release the smallest key
            heapq.heappush(ready, min(keys[i] for i in waiting))
        index = heapq.heappop(ready)[-1]
        if index not in waiting:
            continue
        waiting.discard(index)
        placed.append(index)
        placed.extend(twins.get(index, ()))
        for follower in successors.get(index, ()):
            blockers[follower] -= 1
            if blockers[follower] == 0 and follower in waiting:
                heapq.heappush(ready, keys[follower])
    return [drafts[i] for i in placed]


def _keys(drafts: list[Draft], links: list[Link], published: datetime) -> list[SortKey]:
    keys: list[SortKey | None] = [None] * len(drafts)
    by_source: dict[int, list[Link]] = {}
    for link in links:
        by_source.setdefault(link.source, []).append(link)
    publication = (_publication_key(published), 1, -1, 0.0)
    visiting: set[int] = set()

    def key(index: int) -> SortKey:
        known = keys[index]
        if known is not None:
            return known
        draft = drafts[index]
        visiting.add(index)
        out = by_source.get(index, ())
        same = (
            next(
                (
                    link.target
                    for link in out
                    if link.type == RelationType.SIMULTANEOUS
                    and link.target not in visiting
                    and drafts[link.target].earliest == draft.earliest
                ),
                None,
            )
            if out
            else None
        )
        result: SortKey | None = None
        frame = draft.reported_by
        if same is not None:
            # told again («ويأتي القرار…»), or at the same moment: the same place
            k = key(same)
            result = (k[0], k[1], k[2], k[3], index)
        elif frame is not None and draft.past and frame not in visiting:
            # «قالت الشرطة الأربعاء إنها فتحت تحقيقا»: what a report tells in the past
            # happened before the report, on the report's day
            k = key(frame)
            result = (k[0], k[1], k[2], k[3] - _REPORTED_BEFORE, index)
        elif draft.earliest is not None:
            at = draft.earliest.timestamp()
            if draft.timex is not None and draft.timex.type == TimexType.TIME:
                at = _place(draft.earliest, draft.latest)
            result = (at, draft.phase, index, 0.0, index)
        elif draft.background:
            result = (-math.inf, 0, index, 0.0, index)
        else:
            for link in out:
                if link.target in visiting:
                    continue
                k = key(link.target)
                result = (k[0], k[1], k[2], k[3] + _SHIFT.get(link.type, 0.0), index)
                break
            if result is None:
                previous = _told_before(drafts, index)
                if previous is not None and previous not in visiting:
                    k = key(previous)
                    result = (k[0], k[1], k[2], k[3], index)
                else:
                    result = (*publication, index)
        visiting.discard(index)
        keys[index] = result
        return result

    return [key(i) for i in range(len(drafts))]


_SHIFT = {RelationType.BEFORE: -1.0, RelationType.AFTER: 1.0}
#: how far before its report a reported past event sorts (less than a relation's shift)
_REPORTED_BEFORE = 0.5


def _told_before(drafts: list[Draft], index: int) -> int | None:
    """The event whose place an untimed event keeps next to: the one told before it in
    its sentence. An untimed event that opens a sentence is placed by publication: a
    new sentence of a report («وقال…»، «وأضاف…») is no later part of the last one's
    time."""
    draft = drafts[index]
    for position in range(index - 1, -1, -1):
        earlier = drafts[position]
        if earlier.sentence != draft.sentence:
            return None
        if earlier.headline and not draft.headline:
            continue
        if earlier.background:
            continue
        return earlier.index
    return None


#: how wide (seconds) an interval may be and still be placed at its middle
_PLACED_AT_MIDDLE = 86400


def _place(earliest: datetime, latest: datetime | None) -> float:
    """Where an event timed by a clock time or a part of a day sorts: at its start, but
    a part of a day at its middle (a crash «صباح الأحد» comes after a take-off at 8 that
    morning)."""
    start = earliest.timestamp()
    if latest is None:
        return start
    end = latest.timestamp()
    return (start + end) / 2 if end - start <= _PLACED_AT_MIDDLE else start


def _publication_key(published: datetime) -> float:
    start = published.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.timestamp()
