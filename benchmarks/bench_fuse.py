"""Fusion at scale: a synthetic ledger of N incidents, fused from scratch and incrementally.

Usage: python benchmarks/bench_fuse.py [--incidents 100000] [--db PATH] [--seed 7] [--keep]
                                       [--pending 1000] [--profile]

1. Generates a synthetic ledger (a SQLite file in a temporary directory unless ``--db``):
   about N incidents (one per document) from N/2.5 synthetic events over two years
   (2018-2019) in Iraq and Syria, placed at real gazetteer towns. Each event is reported by
   1-5 documents from a list of publishers; some documents are syndicated copies of another
   (same text plus a source line: one story). Reports of one event disagree as real ones do
   (a day off, month-precision or undated; a town a few km away, "near" the town or only the
   province; tolls +-30% or missing; another event type of the same family; a generic actor),
   and some events have a look-alike (same town, next day, same kind, another toll). Rows go
   straight into the real schema with SQLAlchemy Core bulk inserts: documents, processings,
   incidents, incident_violations, mentions + incident_mentions (killed count, date, place:
   what ``load_reports`` reads) and stories (real ``neardup`` signatures; story ids assigned
   with a ``StoryIndex`` in arrival order, as ``update_stories`` does). The truth (the
   event of each document) is kept in ``documents.extra["bench_event"]``. Generation runs in
   a child process, so the peak RSS printed is the fusing process's alone.
2. Times ``Ledger(path).fuse()`` end to end, then each part on the loaded reports: stories
   index, load, ``candidate_pairs``, ``compare`` over the candidate pairs, ``cluster``,
   ``summarise``, and the write (in a rolled-back transaction); candidate pairs vs all pairs.
3. Scores the fused groups against the generator's truth: pairwise precision/recall of
   merging. SYNTHETIC: a sanity check of the rules on made-up noise, not a quality figure.
4. Adds ``--pending`` more documents (later reports of recent events and new events, no
   stories or fused_members rows, as ``harmledger run --no-fuse`` leaves them) and times one
   ``Fuser(ledger).pending()`` call with a fresh Ledger (cold story index); then 100 more
   documents fused one at a time on one Ledger, as ``harmledger run`` does.

``--profile`` prints the top of a cProfile (cumulative time) of the ``fuse()`` and
``pending()`` calls (their times then include the profiler's overhead).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import io
import math
import pickle
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Table, insert, select

from harmledger import resources
from harmledger.fuse import neardup as nd
from harmledger.fuse import rules as fusion
from harmledger.fuse.ledger import Fuser, write_groups
from harmledger.fuse.summary import summarise
from harmledger.model import CountValue, DateValue, PlaceValue, value_to_dict
from harmledger.model import words as fw
from harmledger.store import schema as s
from harmledger.store.fused import load_reports, set_story_seq
from harmledger.store.ledger import Ledger

T = TypeVar("T")

START = date(2018, 1, 1)
DAYS = 730
PIPELINE = "bench.v1"
STAGES = ["segment.v1", "actors.v1", "triggers.v4", "counts.v1", "dates.v1", "places.v1"]
RUN_STYLE = 100  # documents fused one at a time after the pending batch

PUBLISHERS = [
    "AFP", "Reuters", "Associated Press", "Alsumaria News", "Rudaw", "Kurdistan 24",
    "Shafaq News", "Xinhua", "Anadolu Agency", "SANA", "Enab Baladi",
    "Syrian Observatory for Human Rights", "North Press Agency", "Al Jazeera",
    "BBC Monitoring", "UNAMI", "OCHA", "Airwars", "Iraqi News Agency", "Baghdad Post",
    "Asharq Al-Awsat", "The National", "Step News", "Syria Direct", "Middle East Eye",
]  # fmt: skip

# (weight, event type, sub-event type, violations, lethal, noun phrase)
KINDS: list[tuple[float, str, str, tuple[str, ...], bool, str]] = [
    (0.30, "Violence against civilians", "Attack", ("killing", "attack on civilians"), True,
     "an attack by gunmen"),
    (0.08, "Violence against civilians", "Abduction/forced disappearance", ("abduction",), False,
     "a raid in which residents were abducted"),
    (0.17, "Explosions/Remote violence", "Remote explosive/landmine/IED",
     ("killing", "attack on civilians"), True, "a roadside bomb"),
    (0.12, "Explosions/Remote violence", "Air/drone strike", ("killing",), True, "an air strike"),
    (0.10, "Explosions/Remote violence", "Shelling/artillery/missile attack", ("killing",), True,
     "shelling"),
    (0.10, "Battles", "Armed clash", ("killing",), True, "clashes"),
    (0.08, "Strategic developments", "Arrests", ("arbitrary detention",), False,
     "a wave of arrests"),
    (0.05, "Strategic developments", "Looting/property destruction",
     ("destruction of property",), False, "the burning of homes"),
]  # fmt: skip
#: another type of the same family that an outlet may give the event
SWAP = {
    "Attack": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "Remote explosive/landmine/IED": ("Violence against civilians", "Attack"),
    "Air/drone strike": ("Violence against civilians", "Attack"),
    "Shelling/artillery/missile attack": ("Battles", "Armed clash"),
    "Armed clash": ("Violence against civilians", "Attack"),
}
ACTORS = {
    "Iraq": ["Islamic State", "Military Forces of Iraq", "Popular Mobilization Forces",
             "Military Forces of Turkey", "Police Forces of Iraq"],
    "Syria": ["Islamic State", "Military Forces of Syria", "Military Forces of Russia",
              "Hay'at Tahrir al-Sham", "Syrian Democratic Forces", "Military Forces of Turkey"],
}  # fmt: skip
FIRST = "Ahmed Ali Hassan Hussein Omar Khalid Mahmoud Salma Fatima Zainab Layla Noor Rami Ziad"
FAMILY = "al-Jubouri al-Obeidi al-Dulaimi al-Hamdani Saleh Mustafa al-Khatib Haddad Nasser Kurdi"
SOURCES = [
    "police sources", "a medical source", "local officials", "a security official",
    "residents", "the provincial council", "a monitoring group", "civil defence workers",
    "a hospital director", "a local journalist", "tribal elders", "the interior ministry",
]  # fmt: skip
DETAILS = [
    "{name}, a shopkeeper, said he heard {n} explosions at around {hh}:{mm}.",
    "The wounded, {w} of them, were taken to the hospital in {town}, {name} told reporters.",
    "Roads into {town} were closed for {n} hours after the incident, witnesses said.",
    "{name} said the victims included {n} members of one family from the {quarter} quarter.",
    "A curfew was imposed on {town} until {hh}:{mm} the next morning.",
    "Footage shared online showed damage to {n} houses near the {quarter} mosque.",
    "It was the {nth} such incident in {province} this month, according to {name}.",
    "Funerals for the dead were held in {town} on the following day, {name} said.",
]
QUARTERS = "Qadisiya Askari Hay Tammuz Jadida Sinaa Mualimin Zahra Shuhada Andalus Ghadir"


# ---------------------------------------------------------------------- places


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    country: str
    admin1: str
    lat: float
    lon: float


@dataclass
class Places:
    active: list[Place]  # where events happen
    weights: list[float]
    provinces: dict[tuple[str, str], Place]  # (country, admin1) -> province row
    every: list[Place]  # towns and villages (for places a few km away)
    lat: np.ndarray
    lon: np.ndarray
    near: dict[str, list[Place]] = field(default_factory=dict)

    def nearby(self, p: Place) -> list[Place]:
        """Other towns 2-12 km from ``p``."""
        if p.id not in self.near:
            km = _km(p.lat, p.lon, self.lat, self.lon)
            idx = np.nonzero((km > 2) & (km < 12))[0]
            self.near[p.id] = [self.every[int(i)] for i in idx[:20]]
        return self.near[p.id]


def _km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    dlat = np.radians(lats - lat)
    dlon = np.radians(lons - lon)
    a = (
        np.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat)) * np.cos(np.radians(lats)) * np.sin(dlon / 2) ** 2
    )
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def load_places(rng: random.Random) -> Places:
    """Iraqi and Syrian cities, towns and 3,000 villages from the shipped gazetteer."""
    rows = []
    provinces: dict[tuple[str, str], Place] = {}
    with gzip.open(resources.path("gazetteer.tsv.gz"), "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[3] not in ("IQ", "SY") or not c[7] or not (c[5] or c[2] == "admin1"):
                continue
            p = Place(c[0], c[1], c[4], c[5] or c[1], float(c[7]), float(c[8]))
            if c[2] == "admin1":
                provinces[(p.country, p.admin1)] = p
            elif c[2] in ("city", "town", "village"):
                rows.append((c[2], p))
    rows = [(k, p) for k, p in rows if (p.country, p.admin1) in provinces]
    every = [p for _, p in rows]
    villages = [p for k, p in rows if k == "village"]
    active = [(k, p) for k, p in rows if k != "village"]
    active += [("village", p) for p in rng.sample(villages, 3000)]
    weight = {"city": 30.0, "town": 6.0, "village": 1.0}
    return Places(
        active=[p for _, p in active],
        weights=[weight[k] for k, _ in active],
        provinces=provinces,
        every=every,
        lat=np.array([p.lat for p in every]),
        lon=np.array([p.lon for p in every]),
    )


# ---------------------------------------------------------------------- events and reports


@dataclass(frozen=True, slots=True)
class Event:
    eid: int
    day: date
    place: Place
    kind: int  # index in KINDS
    actor1: str
    toll: int


@dataclass(frozen=True, slots=True)
class Rep:
    """One document and its one incident, as the pipeline would have stored them."""

    event: int
    publisher: str
    published: date
    arrived: datetime
    text: str
    date: DateValue | None
    date_text: str
    place: PlaceValue | None
    place_text: str
    country: str
    event_type: str
    sub_event_type: str
    violations: tuple[str, ...]
    actor1: str | None
    actor2: str | None
    killed: CountValue | None
    toll_text: str
    confidence: float
    copy_of: int | None = None  # index of the report this is a syndicated copy of


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = load_places(self.rng)
        self.events: list[Event] = []
        self.names = [f"{a} {b}" for a in FIRST.split() for b in FAMILY.split()]

    def event(self, day: date, place: Place | None = None, kind: int | None = None) -> Event:
        rng = self.rng
        if place is None:
            place = rng.choices(self.places.active, self.places.weights)[0]
        if kind is None:
            kind = rng.choices(range(len(KINDS)), [k[0] for k in KINDS])[0]
        lethal = KINDS[kind][4]
        toll = 0
        if lethal and rng.random() > 0.15:
            toll = min(300, 1 + int(rng.expovariate(1 / 4)))
        ev = Event(len(self.events), day, place, kind, rng.choice(ACTORS[place.country]), toll)
        self.events.append(ev)
        return ev

    def events_between(self, first: int, days: int, count: int) -> list[Event]:
        """``count`` events on days ``first .. first + days``; 6% get a look-alike (same
        town, next day, same kind, their own toll)."""
        out = []
        while len(out) < count:
            ev = self.event(START + timedelta(days=first + self.rng.randrange(days)))
            out.append(ev)
            if self.rng.random() < 0.06 and len(out) < count:
                out.append(self.event(ev.day + timedelta(days=1), ev.place, ev.kind))
        return out

    def reports(self, ev: Event, n: int, after: datetime | None = None) -> list[Rep]:
        """``n`` documents about ``ev`` from distinct publishers; after the first, 20% are
        syndicated copies of an earlier one."""
        rng = self.rng
        pubs = rng.sample(PUBLISHERS, n)
        out: list[Rep] = []
        for k, pub in enumerate(pubs):
            published = ev.day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
            base = after or datetime.combine(published, datetime.min.time())
            arrived = base + timedelta(seconds=rng.randrange(86400))
            if out and rng.random() < 0.2:
                orig = rng.choice(out)
                text = f"{orig.text}\n\n{pub} republished this story from {orig.publisher}."
                if rng.random() < 0.5:
                    text = f"{pub.upper()} - {text}"
                out.append(
                    replace(
                        orig,
                        publisher=pub,
                        text=text,
                        published=max(orig.published, published),
                        arrived=max(
                            arrived, orig.arrived + timedelta(minutes=rng.randrange(1, 600))
                        ),
                        copy_of=k,  # replaced by the global index when written
                    )
                )
                continue
            out.append(self.report(ev, pub, published, arrived))
        return out

    def report(self, ev: Event, pub: str, published: date, arrived: datetime) -> Rep:
        rng = self.rng
        _, etype, sub, violations, _, noun = KINDS[ev.kind]
        if sub in SWAP and rng.random() < 0.12:
            etype, sub = SWAP[sub]
        # date: exact mostly, a day off, within a week, the month, or undated
        x = rng.random()
        day = ev.day
        if x < 0.08:
            day += timedelta(days=rng.choice((-1, 1)))
        dv: DateValue | None
        if x < 0.86:
            dv = DateValue(day, day, 1, relative=rng.random() < 0.4)
            date_text = f"on {day:%d %B}"
        elif x < 0.89:
            lo = day - timedelta(days=rng.randrange(4))
            dv = DateValue(lo, lo + timedelta(days=3), 2)
            date_text = f"in the week to {lo + timedelta(days=3):%d %B}"
        elif x < 0.95:
            last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            dv = DateValue(day.replace(day=1), last, 3)
            date_text = f"in {day:%B %Y}"
        else:
            dv, date_text = None, "recently"
        # place: the town, near it, a town a few km away, the province, or none
        p = ev.place
        x = rng.random()
        pv: PlaceValue | None
        if x < 0.12 and (near := self.places.nearby(p)):
            q = rng.choice(near)
            pv = PlaceValue(q.name, q.country, q.admin1, None, q.lat, q.lon, 1, "town", q.id)
            place_text = f"the village of {q.name}"
        elif x < 0.75:
            pv = PlaceValue(p.name, p.country, p.admin1, None, p.lat, p.lon, 1, "town", p.id)
            place_text = f"the town of {p.name}"
        elif x < 0.83:
            pv = PlaceValue(p.name, p.country, p.admin1, None, p.lat, p.lon, 2, "town", p.id,
                            relation="near", anchor=p.name)  # fmt: skip
            place_text = f"near {p.name}"
        elif x < 0.98:
            q = self.places.provinces[(p.country, p.admin1)]
            pv = PlaceValue(q.name, q.country, q.admin1, None, q.lat, q.lon, 3, "admin1", q.id)
            place_text = f"{q.name} province"
        else:
            pv, place_text = None, p.country
        # toll: +-30%, sometimes missing, sometimes "at least"
        killed: CountValue | None = None
        toll_text = "no one"
        if ev.toll and rng.random() > 0.15:
            n = max(1, round(ev.toll * rng.uniform(0.7, 1.3)))
            hi = None if rng.random() < 0.1 else n
            killed = CountValue(n, hi, role="killed")
            toll_text = f"at least {n} people" if hi is None else f"{n} people"
        # actor: the same mostly, sometimes generic or none
        x = rng.random()
        actor = ev.actor1 if x < 0.75 else None if x > 0.95 else "Unidentified Armed Group"
        if actor == "Unidentified Armed Group":
            actor = f"Unidentified Armed Group ({p.country})"
        text = self.text(ev, noun, actor, toll_text, place_text, date_text, p)
        if killed is None and ev.toll:
            violations = tuple(v for v in violations if v != "killing") or violations
        return Rep(
            event=ev.eid,
            publisher=pub,
            published=published,
            arrived=arrived,
            text=text,
            date=dv,
            date_text=date_text,
            place=pv,
            place_text=place_text,
            country=p.country,
            event_type=etype,
            sub_event_type=sub,
            violations=violations,
            actor1=actor,
            actor2=f"Civilians ({p.country})",
            killed=killed,
            toll_text=toll_text,
            confidence=round(rng.uniform(0.45, 0.95), 3),
        )

    def text(
        self, ev: Event, noun: str, actor: str | None, toll: str, place: str, when: str, p: Place
    ) -> str:
        rng = self.rng
        who = actor or "unknown assailants"
        src = rng.choice(SOURCES)
        lead = rng.choice(
            (
                f"{toll.capitalize()} were killed in {noun} in {place} {when}, {src} said.",
                f"{src.capitalize()} said {noun} in {place} {when} left {toll} dead.",
                f"{who} carried out {noun} in {place} {when}, killing {toll}, according to {src}.",
                f"In {place}, {noun} {when} killed {toll}, {src} told {rng.choice(PUBLISHERS)}.",
            )
        )
        blame = rng.choice(
            (
                f"{src.capitalize()} blamed {who} for the attack.",
                f"No group claimed responsibility, though {who} is active in the area.",
                f"{who} denied any role, {rng.choice(self.names)} said.",
            )
        )
        details = []
        for tpl in rng.sample(DETAILS, 2):
            details.append(
                tpl.format(
                    name=rng.choice(self.names),
                    n=rng.randint(2, 40),
                    w=rng.randint(1, 60),
                    hh=f"{rng.randint(1, 12):02d}",
                    mm=f"{rng.randrange(60):02d}",
                    town=p.name,
                    quarter=rng.choice(QUARTERS.split()),
                    nth=rng.choice(("second", "third", "fourth", "fifth")),
                    province=p.admin1,
                )
            )
        return " ".join([lead, blame, *details])


# ---------------------------------------------------------------------- rows


@dataclass
class Ids:
    doc: int = 0
    mention: int = 0
    incident: int = 0


def rows_for(reps: Sequence[Rep], ids: Ids) -> dict[Table, list[dict[str, Any]]]:
    """Rows of the real schema for ``reps`` (one document, processing, incident each)."""
    out: dict[Table, list[dict[str, Any]]] = defaultdict(list)
    for rep in reps:
        ids.doc += 1
        ids.incident += 1
        doc_id = hashlib.sha256(rep.text.encode()).hexdigest()[:16]
        name = f"bench/{ids.doc:07d}.txt"
        out[s.documents].append(
            {
                "id": doc_id,
                "name": name,
                "text": rep.text,
                "raw": rep.text,
                "title": None,
                "byline": None,
                "publisher": rep.publisher,
                "published": rep.published,
                "url": None,
                "section": None,
                "language": "en",
                "extra": {"bench_event": rep.event},
                "reader": "text.v1",
                "media_type": "text/plain",
                "removed": [],
                "first_seen": rep.arrived,
            }
        )
        out[s.document_names].append(
            {"document_id": doc_id, "name": name, "first_seen": rep.arrived}
        )
        out[s.processings].append(
            {
                "id": ids.doc,
                "document_id": doc_id,
                "pipeline_version": PIPELINE,
                "doc_name": name,
                "run_id": None,
                "stored_at": rep.arrived,
                "stages": STAGES,
                "sentences": [[0, len(rep.text)]],
            }
        )
        pk = ids.incident
        d, pv = rep.date, rep.place
        out[s.incidents].append(
            {
                "id": pk,
                "incident_id": hashlib.sha256(f"{doc_id}|0".encode()).hexdigest()[:16],
                "document_id": doc_id,
                "processing_id": ids.doc,
                "pipeline_version": PIPELINE,
                "doc_name": name,
                "event_type": rep.event_type,
                "sub_event_type": rep.sub_event_type,
                "fatalities": rep.killed.min if rep.killed else 0,
                "confidence": rep.confidence,
                "evidence": [[0, len(rep.text)]],
                "evidence_start": 0,
                "stage": "assemble.v6",
                "versions": {},
                "doc_country": rep.country,
                "date_start": d.start if d else None,
                "date_end": d.end if d else None,
                "date_precision": d.precision if d else None,
                "location_name": pv.name if pv else None,
                "admin1": pv.admin1 if pv else None,
                "admin2": None,
                "country": pv.country if pv else rep.country,
                "latitude": pv.latitude if pv else None,
                "longitude": pv.longitude if pv else None,
                "geo_precision": pv.precision if pv else None,
                "actor1_name": rep.actor1,
                "actor2_name": rep.actor2,
            }
        )
        for n, v in enumerate(rep.violations):
            out[s.incident_violations].append({"incident_pk": pk, "position": n, "violation": v})
        linked = (
            ("count", "killed", rep.killed, rep.toll_text, "counts.v1"),
            ("date", None, d, rep.date_text, "dates.v1"),
            ("location", None, pv, rep.place_text, "places.v1"),
        )
        places: list[tuple[int, str | None, str | None]] = []
        for fld, role, value, words, stage in linked:
            if value is None:
                continue
            ids.mention += 1
            start = max(rep.text.find(words), 0)
            end = start + len(words) if rep.text.find(words) >= 0 else start
            kind = {"count": "count", "date": "date", "location": "place"}[fld]
            if isinstance(value, PlaceValue):
                places.append((start, value.gazetteer_id, value.feature))
            out[s.mentions].append(
                {
                    "id": ids.mention,
                    "document_id": doc_id,
                    "processing_id": ids.doc,
                    "kind": kind,
                    "start_char": start,
                    "end_char": end,
                    "text": rep.text[start:end],
                    "stage": stage,
                    "value": value_to_dict(value),
                }
            )
            out[s.incident_mentions].append(
                {
                    "incident_pk": pk,
                    "field": fld,
                    "position": 0,
                    "role": role,
                    "mention_id": ids.mention,
                }
            )
        # the fingerprint storing makes (schema 9): what fusion reads, not the text
        words = fw.of_evidence(rep.text, [(0, len(rep.text))], places)
        out[s.incidents][-1].update(words=list(words), words_method=fw.NAME)
    return out


def story_rows(
    docs: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, str], list[dict[str, Any]]]:
    """Stories as ``update_stories`` makes them: real signatures placed in a StoryIndex in
    arrival order; returns the rows, document id -> story id, and the ``story_bands`` rows."""
    index = nd.StoryIndex()
    story: dict[str, str] = {}
    rows = []
    bands: list[dict[str, Any]] = []
    for seq, doc in enumerate(sorted(docs, key=lambda r: (r["first_seen"], r["id"]))):
        sig = nd.signature(doc["text"])
        sid, sim = index.place(doc["id"], sig)
        story[doc["id"]] = sid
        bands += [
            {"band": b, "seq": seq, "document_id": doc["id"]}
            for b in nd.stored_keys(nd.band_keys([sig]))
        ]
        rows.append(
            {
                "document_id": doc["id"],
                "story_id": sid,
                "similarity": round(sim, 4),
                "signature": nd.encode(sig),
                "method": nd.NAME,
            }
        )
    return rows, story, bands


ORDER = [
    s.documents,
    s.document_names,
    s.processings,
    s.incidents,
    s.incident_violations,
    s.mentions,
    s.incident_mentions,
    s.stories,
    s.story_bands,
]


def insert_rows(path: str, rows: dict[Table, list[dict[str, Any]]] | dict[str, Any]) -> None:
    with Ledger(path) as led, led.engine.begin() as conn:
        for table in ORDER:
            part = rows.get(table, rows.get(table.name, []))  # type: ignore[call-overload]
            for k in range(0, len(part), 20000):
                conn.execute(insert(table), part[k : k + 20000])


def generate(path: str, n: int, seed: int, pending: int, later: str) -> dict[str, Any]:
    """Write the synthetic ledger to ``path`` and the pending documents' rows (two batches,
    without stories) to the pickle ``later``; returns what was made."""
    t0 = time.perf_counter()
    gen = Generator(seed)
    n_events = round(n / 2.5)
    events = gen.events_between(0, DAYS, n_events)
    sizes = [1, 2, 3, 4, 5]
    size_w = [0.3, 0.25, 0.2, 0.15, 0.1]  # mean 2.5
    reps = [r for ev in events for r in gen.reports(ev, gen.rng.choices(sizes, size_w)[0])]
    reps.sort(key=lambda r: r.arrived)
    # later arrivals: reports of recent events (half) and new events, all after the ledger
    recent = [ev for ev in events if ev.day >= START + timedelta(days=DAYS - 30)]
    after = max(r.arrived for r in reps) + timedelta(hours=1)
    extra: list[Rep] = []
    total = pending + RUN_STYLE
    while len(extra) < total // 2:
        extra += gen.reports(gen.rng.choice(recent), gen.rng.choice((1, 1, 2)), after)
    for ev in gen.events_between(DAYS - 30, 30, total):
        if len(extra) >= total:
            break
        extra += gen.reports(ev, min(total - len(extra), gen.rng.choices(sizes, size_w)[0]), after)
    extra = extra[:total]
    gen.rng.shuffle(extra)
    for k, r in enumerate(extra):
        extra[k] = replace(r, arrived=after + timedelta(seconds=k))
    ids = Ids()
    rows = rows_for(reps, ids)
    seen: set[str] = set()
    for d in rows[s.documents]:
        if d["id"] in seen:
            raise SystemExit(f"two synthetic documents with one text ({d['name']})")
        seen.add(d["id"])
    t_rows = time.perf_counter() - t0
    rows[s.stories], story, rows[s.story_bands] = story_rows(rows[s.documents])
    t_stories = time.perf_counter() - t0 - t_rows
    event_of = {d["id"]: d["extra"]["bench_event"] for d in rows[s.documents]}
    wrong_story = sum(event_of[d] != event_of[st] for d, st in story.items())
    copies = sum(r.copy_of is not None for r in reps)
    found_copies = sum(st != d for d, st in story.items())
    with Ledger(path) as led:
        led.schema_version()  # creates the tables and meta rows
    insert_rows(path, rows)
    with Ledger(path) as led, led.engine.begin() as conn:
        set_story_seq(conn, len(rows[s.stories]))  # the next document's place in stories
    # by table name: a pickled Table is another object (not a key of the same dict)
    batches = [
        {t.name: r for t, r in rows_for(part, ids).items()}
        for part in (extra[:pending], extra[pending:])
    ]
    Path(later).write_bytes(pickle.dumps(batches))
    return {
        "events": len(events),
        "incidents": len(reps),
        "copies": copies,
        "story_copies": found_copies,
        "story_wrong_event": wrong_story,
        "seconds": time.perf_counter() - t0,
        "rows_seconds": t_rows,
        "stories_seconds": t_stories,
        "mb": Path(path).stat().st_size / 1e6,
    }


# ---------------------------------------------------------------------- measuring


def timed(label: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    out = fn()
    secs = time.perf_counter() - t0
    print(f"  {label:44s} {secs:8.2f} s   peak RSS {rss():6.0f} MB", flush=True)
    return out


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def truth(path: str) -> dict[int, int]:
    """incident pk -> synthetic event."""
    i, d = s.incidents, s.documents
    with Ledger(path) as led, led.engine.connect() as conn:
        q = select(i.c.id, d.c.extra).join(d, d.c.id == i.c.document_id)
        return {r.id: r.extra["bench_event"] for r in conn.execute(q)}


def groups_in(path: str) -> list[list[int]]:
    fm = s.fused_members
    out: dict[str, list[int]] = defaultdict(list)
    with Ledger(path) as led, led.engine.connect() as conn:
        for r in conn.execute(select(fm.c.fused_id, fm.c.incident_pk)):
            out[r.fused_id].append(r.incident_pk)
    return list(out.values())


def pair_scores(groups: Sequence[Sequence[int]], event_of: dict[int, int]) -> str:
    """Pairwise precision and recall of merging (pairs of reports put in one group)."""

    def c2(k: int) -> int:
        return k * (k - 1) // 2

    predicted = sum(c2(len(g)) for g in groups)
    correct = sum(c2(k) for g in groups for k in Counter(event_of[pk] for pk in g).values())
    true = sum(c2(k) for k in Counter(event_of.values()).values())
    p = correct / predicted if predicted else 1.0
    r = correct / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    reports = sum(len(g) for g in groups)
    return (
        f"{reports} reports in {len(groups)} fused incidents ({len(set(event_of.values()))} "
        f"true events): pairwise P {p:.3f} R {r:.3f} F1 {f:.3f} "
        f"({correct}/{predicted} merged pairs right, {true} true pairs)"
    )


def print_profile(prof: cProfile.Profile) -> None:
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


def measure(path: str, *, profile: bool) -> None:
    n = len(truth(path))
    print(f"\nfuse from scratch ({n} incidents)")
    with Ledger(path) as led:
        if profile:
            prof = cProfile.Profile()
            t0 = time.perf_counter()
            result = prof.runcall(Fuser(led).all)
            total = time.perf_counter() - t0
        else:
            t0 = time.perf_counter()
            result = Fuser(led).all()
            total = time.perf_counter() - t0
    print(
        f"  Fuser.all() end to end{'':22s} {total:8.2f} s   peak RSS {rss():6.0f} MB   "
        f"({result.reports} reports -> {result.fused} fused, {result.multi} with 2+)"
    )
    if profile:
        print_profile(prof)

    print("parts (same ledger, again)")
    with Ledger(path) as led, led.engine.connect() as conn:
        timed(
            "update_stories (index of stored signatures)",
            lambda: Fuser(led).update_stories(conn, None),
        )
        conn.rollback()
        reports = timed("load_reports", lambda: load_reports(conn))
        pairs = timed("candidate_pairs", lambda: fusion.candidate_pairs(reports))
        matched = timed(
            "compare (every candidate pair)",
            lambda: sum(fusion.compare(reports[i], reports[j]).matches() for i, j in pairs),
        )
        groups = timed("cluster (compare + merge)", lambda: fusion.cluster(reports, pairs=pairs))
        timed(
            "summarise (every group)",
            lambda: [summarise([reports[k] for k in g]) for g in groups],
        )
        old = conn.scalars(select(s.fused_incidents.c.id)).all()
        timed(
            "write_groups (delete + summarise + insert)",
            lambda: write_groups(conn, reports, groups, replaced=old, manual_ids=set()),
        )
        conn.rollback()
    k = len(reports)
    everything = k * (k - 1) // 2
    print(
        f"  candidate pairs {len(pairs):,} of {everything:,} possible "
        f"({len(pairs) / everything:.5%}), {len(pairs) / k:.1f} per report; "
        f"{matched:,} above the threshold"
    )
    event_of = truth(path)
    pk_event = [event_of[r.pk] for r in reports]  # type: ignore[index]
    by_event: dict[int, list[int]] = defaultdict(list)
    for n_, e in enumerate(pk_event):
        by_event[e].append(n_)
    true_pairs = {(a, b) for m in by_event.values() for a in m for b in m if a < b}
    print(
        f"  blocking keeps {len(true_pairs & pairs) / len(true_pairs):.3f} of the true pairs "
        f"({len(true_pairs):,})"
    )
    print("SYNTHETIC sanity check (made-up noise; not the quality figure):")
    print("  " + pair_scores(groups_in(path), event_of))


def measure_pending(path: str, later: str, *, profile: bool) -> None:
    batch, run_style = pickle.loads(Path(later).read_bytes())
    insert_rows(path, batch)
    count = len(batch["documents"])
    print(f"\nincremental: {count} new documents pending (no stories, no fused_members)")
    with Ledger(path) as led:
        prof = cProfile.Profile() if profile else None
        t0 = time.perf_counter()
        fuser = Fuser(led)
        result = prof.runcall(fuser.pending) if prof else fuser.pending()
        secs = time.perf_counter() - t0
    print(
        f"  Fuser.pending(), fresh Ledger{'':14s} {secs:8.2f} s   peak RSS {rss():6.0f} MB"
        f"   ({result.reports} new reports, {result.fused} fused incidents rewritten, "
        f"{result.multi} with 2+)"
    )
    if prof:
        print_profile(prof)
    insert_rows(path, run_style)
    docs = [d["id"] for d in run_style["documents"]]
    with Ledger(path) as led:
        times = []
        fuser = Fuser(led)
        for doc_id in docs:
            t0 = time.perf_counter()
            fuser.pending([doc_id])
            times.append(time.perf_counter() - t0)
    times.sort()
    print(
        f"  {len(docs)} more, Fuser.pending([doc]) one at a time (as `run` does): "
        f"median {times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s (the first: story index),"
        f" total {sum(times):.2f} s"
    )
    print("SYNTHETIC sanity check after the incremental fuses:")
    print("  " + pair_scores(groups_in(path), truth(path)))


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--db", help="write the ledger here (must not exist) instead of a temp dir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--pending", type=int, default=1000, help="documents for Fuser.pending")
    ap.add_argument("--profile", action="store_true", help="cProfile the fuses")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-fuse-"))
    path = Path(args.db) if args.db else tmp / "ledger.db"
    if path.exists():
        raise SystemExit(f"{path} exists; give a new path")
    later = str(tmp / "pending.pickle")
    try:
        print(f"generating {args.incidents} incidents (seed {args.seed}) into {path}")
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            g = pool.submit(
                generate, str(path), args.incidents, args.seed, args.pending, later
            ).result()
        print(
            f"  {g['incidents']} incidents from {g['events']} events; {g['copies']} syndicated "
            f"copies, {g['story_copies']} documents given another's story "
            f"({g['story_wrong_event']} of another event); {g['mb']:.0f} MB; "
            f"{g['seconds']:.1f} s (rows {g['rows_seconds']:.1f} s, signatures + story index "
            f"{g['stories_seconds']:.1f} s; not the measure)"
        )
        measure(str(path), profile=args.profile)
        if args.pending:
            measure_pending(str(path), later, profile=args.profile)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
