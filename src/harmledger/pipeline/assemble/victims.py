"""Victims: who was harmed, as casualty-recording standards (Every Casualty) ask.

The victims' ACLED category (the victim actor's), their types (journalists, aid workers,
health workers, human-rights defenders, protesters, students; ``resources/assemble.json``
"victim_types") read from the victims' own words (the victim actor, the counted noun, the
word before a name), how many were children or women where the counts say, and their names
where the report gives them ("reporter Juan Arjon Lopez", "named as ...", "the arrest of
Chen Xi", "Daniel Bekele, a lawyer,", "Su Changlan was detained"), each protected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from harmledger.model import NamedVictim, Span, Victims
from harmledger.pipeline.assemble.common import (
    ROLE_GROUPS,
    VICTIM_CATEGORIES,
    ActorMention,
    CountMention,
    victim_types,
    words,
)

#: Roles whose counted people are victims (the displaced are counted apart).
_VICTIM_ROLES = ("harm", "taken", "detained")


def describe_victims(
    text: str,
    spans: Sequence[Span],
    counts: dict[str, CountMention],
    actor1: ActorMention | None,
    actor2: ActorMention | None,
    actors: Sequence[ActorMention],
) -> Victims | None:
    """The incident's victims, or None when it names none."""
    said: list[str] = []
    if actor2 is not None:
        said.append(actor2.text)
    victim_counts = [c for r, c in counts.items() if ROLE_GROUPS[r] in _VICTIM_ROLES]
    said += [c.value.victim for c in victim_counts if c.value.victim]
    said += [
        a.text
        for a in actors
        if a is not actor1 and a.value.category in VICTIM_CATEGORIES and a is not actor2
    ]
    names: list[NamedVictim] = []
    if victim_counts or actor2 is not None:
        doer = (actor1.start, actor1.end) if actor1 is not None else None
        w = words()
        for span in spans:
            for pattern in (w.victim_name, w.victim_name_before):
                for m in pattern.finditer(text, span.start, span.end):
                    start, end = m.start("name"), m.end("name")
                    if doer is not None and doer[0] <= start < doer[1]:
                        continue
                    if any(n.start <= start < n.end or start <= n.start < end for n in names):
                        continue
                    if w.victim_name_not.search(m.group("name").split()[-1]):
                        continue  # a place's or an organisation's name
                    names.append(NamedVictim(m.group("name"), start, end))
                    # the words for who they were: before the name, or in its apposition
                    after = text[start : min(span.end, end + 60)]
                    said.append(after if pattern is w.victim_name_before else m.group(0))
    types = tuple(
        t for t, pattern in victim_types().items() if any(pattern.search(w) for w in said)
    )
    children = _most(c.value.children for c in victim_counts)
    women = _most(c.value.women for c in victim_counts)
    if actor2 is None and not (types or names or children or women):
        return None
    category = actor2.value.category if actor2 is not None else None
    if category is None and (types or names):
        category = "Civilians"
    return Victims(category, types, children, women, tuple(names))


def _most(values: Iterable[int | None]) -> int | None:
    found = [v for v in values if v is not None]
    return max(found) if found else None
