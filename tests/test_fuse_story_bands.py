"""Near-duplicate stories found through the band keys the ledger stores (schema 9,
``story_bands``) rather than an index of every signature held in fusion's memory: the
same stories as the in-memory index gives, ties going to the earliest document; and a
ledger an earlier build made gets its stories' band keys at its next fusion."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, text

from fusion_kit import read_report
from harmledger.fuse import neardup as nd
from harmledger.fuse.ledger import Fuser
from harmledger.model import Annotated
from harmledger.store import Ledger
from harmledger.store import fused as fu
from harmledger.store import schema as s
from test_fuse_order import REPORTS, annotated

# ---------------------------------------------------------------- placing


def variants(rng: random.Random, n: int) -> list[tuple[int, ...]]:
    """Signatures of a few stories, each copy changed in a few of its values: many pairs
    at or above the threshold, and many ties of similarity."""
    bases = [tuple(rng.randrange(1 << 32) for _ in range(nd.PERMUTATIONS)) for _ in range(3)]
    out = []
    for _ in range(n):
        sig = list(rng.choice(bases))
        for k in rng.sample(range(nd.PERMUTATIONS), rng.choice([0, 8, 16, 40, 64, 80])):
            sig[k] = rng.choice([sig[k] ^ 1, rng.randrange(1 << 32)])
        out.append(tuple(sig))
    return out


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_fuse_place_among_stored_as_the_index_places(seed: int) -> None:
    rng = random.Random(seed)
    sigs = variants(rng, 60)
    keys = [f"doc-{k:02d}" for k in range(len(sigs))]
    index = nd.StoryIndex()
    want = [index.place(k, sig) for k, sig in zip(keys, sigs, strict=True)]
    assert len({story for story, _ in want}) > 3  # copies, and documents of their own
    for split in (0, 1, 20, 45):  # the first `split` stored, the others placed now
        stored = {keys[k]: (want[k][0], nd.encode(sigs[k])) for k in range(split)}
        bands = nd.band_keys(sigs[:split]) if split else []
        hits = [(band, k, keys[k]) for k in range(split) for band in nd.stored_keys(bands[k])]
        got = nd.place_among(keys[split:], sigs[split:], hits, stored)
        assert got == want[split:], split


# ---------------------------------------------------------------- in the ledger

COPY = "local-baiji"  # the local outlet's report, and a copy another site ran


def copy_of(name: str) -> Annotated:
    """The report as another site ran it, a word changed."""
    _, published, body = REPORTS[name]
    changed = body.replace("A source in", "A military source in", 1)
    assert changed != body
    return read_report(f"{name}-copy", "Iraq News Network", published, changed)


def stories(lg: Ledger) -> dict[str, str]:
    with lg.engine.connect() as conn:
        return dict(conn.execute(select(s.stories.c.document_id, s.stories.c.story_id)).all())


def test_fuse_copy_found_through_the_ledger_band_keys(db_url: str) -> None:
    with Ledger(db_url) as lg:
        first = [lg.add(annotated(n), pipeline_version="t").document_id for n in REPORTS]
        Fuser(lg).arrived(first)
        later = lg.add(copy_of(COPY), pipeline_version="t").document_id
        Fuser(lg).arrived([later])  # a new Fuser: nothing held from the first
        placed = stories(lg)
        with lg.engine.connect() as conn:
            bands = conn.scalar(select(func.count()).select_from(s.story_bands))
            seqs = conn.execute(
                select(s.story_bands.c.document_id, func.min(s.story_bands.c.seq)).group_by(
                    s.story_bands.c.document_id
                )
            ).all()
    original = annotated(COPY).document.id
    assert placed[later] == original
    assert len({placed[d] for d in first}) == 3
    assert bands == 4 * nd.BANDS
    assert sorted(seq for _, seq in seqs) == [0, 1, 2, 3]


def test_fuse_version_8_ledger_stories_get_band_keys_at_next_fusion(db_url: str) -> None:
    with Ledger(db_url) as lg:
        first = [lg.add(annotated(n), pipeline_version="t").document_id for n in REPORTS]
        Fuser(lg).arrived(first)
        before = stories(lg)
        with lg.engine.begin() as conn:  # what an earlier build left
            conn.execute(text("DROP TABLE story_bands"))
            conn.execute(text("UPDATE meta SET value = '8' WHERE key = 'schema_version'"))
            conn.execute(text("DELETE FROM meta WHERE key = 'story_seq'"))
            for column in ("words", "words_method"):
                conn.execute(text(f"ALTER TABLE incidents DROP COLUMN {column}"))
    with Ledger(db_url) as lg:
        with lg.engine.connect() as conn:
            assert fu.bands_to_fill(conn)
        later = lg.add(copy_of(COPY), pipeline_version="t").document_id
        Fuser(lg).arrived([later])
        placed = stories(lg)
        with lg.engine.connect() as conn:
            assert not fu.bands_to_fill(conn)
            assert fu.story_seq(conn) == 4
            bands = conn.scalar(select(func.count()).select_from(s.story_bands))
    assert {d: placed[d] for d in before} == before
    assert placed[later] == annotated(COPY).document.id
    assert bands == 4 * nd.BANDS
