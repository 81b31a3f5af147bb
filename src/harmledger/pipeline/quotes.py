"""Quoted speech, its speaker and the speaker's identity status.

Identity status (model.IdentityStatus):

- ``named``: the speaker is given by a proper name ("said Ahmed Khalaf").
- ``anonymous``: the speaker is described, not named ("one survivor", "another man",
  "a resident who asked not to be named").
- ``pseudonym``: a name is given but the report says it is not the real one ("said Salma,
  whose real name was withheld").
- ``unknown``: no attribution was found.

A quote with no attribution of its own that follows an attributed quote in the same or the
next paragraph continues that speaker's testimony (reports split long testimony this way).
Short quoted phrases (fewer than :data:`MIN_WORDS` words) without attribution are scare
quotes ("fighting age") and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from harmledger import resources
from harmledger.config import Settings
from harmledger.model import Annotated, IdentityStatus, Mention, QuoteValue
from harmledger.pipeline.base import mention_kind

NAME = "quotes.v2"

#: A quotation shorter than this with no speaker is a scare quote, not testimony.
MIN_WORDS = 4
#: How far (characters) after a closing quote the attribution may end.
AFTER_WINDOW = 160
#: How far before an opening quote an attribution ("X said:") may start.
BEFORE_WINDOW = 120
#: How far before a quote attributed by a pronoun (", she said") the person it stands for
#: may have been introduced ("A survivor described the attack."): about two sentences.
ANTECEDENT_WINDOW = 300

_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
_NAME = r"(?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-|bin |ibn |abu |Abu )?[A-Z][\w'’-]+){0,3}"


@dataclass(frozen=True, slots=True)
class QuoteCues:
    after_verb_first: re.Pattern[str]  # ,” said another man,
    after_speaker_first: re.Pattern[str]  # ,” one survivor told Amnesty
    before: re.Pattern[str]  # Salma said: “
    subject: re.Pattern[str]
    anonymous_speaker: re.Pattern[str]
    anonymity: re.Pattern[str]
    pseudonym: re.Pattern[str]
    pronoun: re.Pattern[str]  # ,” she said / ,” said he
    described: re.Pattern[str]  # "a 34-year-old woman", "one survivor" anywhere


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def load_cues() -> QuoteCues:
    data = resources.read_json("quotes.json")
    verbs = _alt(data["speech_verbs"])
    heads = _alt(data["anonymous_heads"])
    dets = _alt(data["anonymous_determiners"])
    # a described speaker: determiner, up to three modifiers, a head noun
    described = rf"(?:{dets})\s+(?:[\w'’-]+\s+){{0,3}}?(?:{heads})s?\b"
    speaker = rf"(?:{described}|{_NAME})"
    return QuoteCues(
        after_verb_first=re.compile(rf"^[\s,.]*(?:{verbs})\s+(?P<sp>{speaker})"),
        after_speaker_first=re.compile(rf"^[\s,.]*(?P<sp>{speaker})\s+(?:{verbs})\b"),
        # the subject of "... said:" before a quote; its head is read by `subject`
        before=re.compile(
            rf"(?P<subj>[^.!?\n“”\"]{{1,100}}?)\s+(?:{verbs})(?:\s+[\w\s]{{0,30}}?)?[:,]\s*$"
        ),
        # sentence-initial "A resident ..." is capitalised: the described form ignores case
        subject=re.compile(rf"(?P<sp>(?i:{described})|{_NAME})"),
        anonymous_speaker=re.compile(rf"^{described}$", re.IGNORECASE),
        anonymity=re.compile(_alt(data["anonymity_phrases"]), re.IGNORECASE),
        pseudonym=re.compile(_alt(data["pseudonym_phrases"]), re.IGNORECASE),
        pronoun=re.compile(
            rf"^[\s,.]*(?:(?:{_alt(data['pronouns'])})\s+(?:{verbs})|(?:{verbs})\s+"
            rf"(?:{_alt(data['pronouns'])}))\b",
            re.IGNORECASE,
        ),
        described=re.compile(rf"\b{described}", re.IGNORECASE),
    )


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    speaker: str | None
    identity: IdentityStatus
    speaker_start: int | None
    speaker_end: int | None


def _identity(speaker: str, context: str, cues: QuoteCues) -> IdentityStatus:
    if cues.pseudonym.search(context):
        return "pseudonym"
    if cues.anonymous_speaker.match(speaker) or cues.anonymity.search(context):
        return "anonymous"
    if speaker[:1].isupper():
        return "named"
    return "anonymous"


def _clause_end(text: str, pos: int) -> int:
    """End of the sentence that starts at ``pos`` (for reading the attribution's context)."""
    m = re.compile(r"[.!?](?:\s|$)|\n").search(text, pos)
    return m.end() if m else len(text)


def _antecedent(text: str, quote_start: int, cues: QuoteCues) -> tuple[int, int] | None:
    """The described person ("a 34-year-old woman", "one survivor") nearest before a quote
    attributed by a pronoun, within its paragraph or the one before and outside quotes."""
    start = max(0, quote_start - ANTECEDENT_WINDOW)
    window = text[start:quote_start]
    breaks = [b.end() for b in re.finditer(r"\n\s*\n", window)]
    if len(breaks) > 1:
        start, window = start + breaks[-2], window[breaks[-2] :]
    # not inside an earlier quotation
    inside = [(q.start(), q.end()) for q in _QUOTE.finditer(window)]
    hits = [
        h for h in cues.described.finditer(window) if not any(a <= h.start() < b for a, b in inside)
    ]
    if not hits:
        return None
    return start + hits[-1].start(), start + hits[-1].end()


def find_quotes(text: str) -> list[Quote]:
    cues = load_cues()
    quotes: list[Quote] = []
    last: Quote | None = None
    last_para = -1
    for m in _QUOTE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        q_start, q_end = m.start(group), m.end(group)
        inner = m.group(group)
        speaker = sp_start = sp_end = None
        context = ""
        after = text[m.end() : m.end() + AFTER_WINDOW]
        a = cues.after_verb_first.match(after) or cues.after_speaker_first.match(after)
        pronoun = None if a else cues.pronoun.match(after)
        if pronoun:
            # ", she said": the person introduced just before ("A survivor described the
            # attack"), never the official quoted earlier; no one found, no speaker
            found = _antecedent(text, m.start(), cues)
            if found is not None:
                sp_start, sp_end = found
                context = text[sp_end : _clause_end(text, sp_end)]
        elif a:
            sp_start, sp_end = m.end() + a.start("sp"), m.end() + a.end("sp")
            context = text[sp_end : _clause_end(text, sp_end)]
        else:
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - BEFORE_WINDOW) : m.start()]
            b = cues.before.search(before)
            sp = cues.subject.search(b.group("subj")) if b else None
            if b and sp:
                base = m.start() - len(before) + b.start("subj")
                sp_start, sp_end = base + sp.start("sp"), base + sp.end("sp")
                context = b.group("subj")[sp.end("sp") :]
        para = text.count("\n\n", 0, m.start())
        if sp_start is not None and sp_end is not None:
            speaker = text[sp_start:sp_end]
            identity = _identity(speaker, context, cues)
        elif pronoun and not (last is not None and para == last_para and last.speaker):
            identity = "unknown"  # "he said" with no one introduced since: unknown
        elif last is not None and para - last_para <= 1 and last.speaker is not None:
            # continuation of the previous speaker's testimony
            speaker, identity = last.speaker, last.identity
            sp_start, sp_end = last.speaker_start, last.speaker_end
        else:
            if len(inner.split()) < MIN_WORDS:
                continue
            identity = "unknown"
        if speaker is None and len(inner.split()) < MIN_WORDS:
            continue
        q = Quote(q_start, q_end, speaker, identity, sp_start, sp_end)
        quotes.append(q)
        if speaker is not None:
            last, last_para = q, para
    return quotes


class QuoteTagger:
    """Adds ``quote`` mentions (the quoted words) with speaker and identity status."""

    name: ClassVar[str] = NAME
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = (mention_kind("quote"),)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, doc: Annotated) -> Annotated:
        text = doc.text
        mentions = [
            Mention(
                "quote",
                q.start,
                q.end,
                text[q.start : q.end],
                QuoteValue(q.speaker, q.identity, q.speaker_start, q.speaker_end),
                self.name,
            )
            for q in find_quotes(text)
        ]
        return doc.add(mentions, stage=self.name)
