"""Near-duplicate stories: MinHash over hashed word shingles, with an LSH (banding) index.

Syndicated or copied versions of one story (the same wire text under another masthead, with a
different byline, added share links or copyright lines, a sentence or a paragraph cut) are one
source and never count as independent confirmation. This module tells them apart from
independent reports of the same event, which share facts, names and numbers but not wording.

How a text becomes a signature
------------------------------
1. Normalise: Unicode NFKC, case-folded; separators inside numbers dropped ("1,566", "1 566" and
   "1566" are one token); every run of characters that are not letters or digits (punctuation,
   quotes, dashes, whitespace) is one word break.
2. Shingle: every run of ``SHINGLE_SIZE`` = 5 consecutive words is one shingle. Each word is hashed
   with BLAKE2b (64 bits) and the five word hashes are combined with fixed odd multipliers and a
   SplitMix64 finaliser into a 32-bit shingle hash; nothing depends on Python's salted ``hash()``,
   so hashes are the same in every process and on every machine. A text with fewer than five
   words is one shingle of all its words (so it matches only the same words; an empty text is the
   empty shingle).
3. MinHash: ``PERMUTATIONS`` = 128 hash functions ``h_i(x) = (a_i * x + b_i) mod (2**61 - 1)``
   (low 32 bits kept) with ``a_i, b_i`` derived from BLAKE2b of the version name; the signature is
   the minimum of each function over the text's shingles. The fraction of equal positions of two
   signatures estimates the Jaccard similarity of their shingle sets (standard error
   ``sqrt(J(1-J)/128)``, at most 0.044).

Why these numbers (measured on the fixtures in ``tests/test_fuse_neardup.py``; "exact" is the
Jaccard similarity of the shingle sets, "est" the MinHash estimate)
------------------------------------------------------------------------------------------------
=================================================================================  =====  =====
pair (a 273-word wire story; 41-word notes)                                        exact  est
=================================================================================  =====  =====
wire vs syndicated copy: other headline, masthead line, share links, "This         0.74   0.73
article originally appeared on Reuters", copyright, "Related:" line, the lead's
figures spelled out ("fourteen", "thirty")
wire vs that copy with one of its six paragraphs also cut                          0.58   0.62
wire vs that copy with two sentences reworded instead                              0.58   0.60
syndicated copy vs cut copy                                                        0.83   0.88
note vs the note with a dateline and "Source: Daily Trust." added                  0.84   0.89
note vs the note with one word changed / two words changed                         0.76   0.78
                                                                                   0.61   0.65
wire vs AFP's independent report of the same event (same names, numbers, one       0.02   0.04
shared quotation)
note vs an independent note on the same event                                      0.00   0.00
wire vs an unrelated story                                                         0.00   0.00
note vs the same template filled in for another day, village, district and toll    0.45   0.42
=================================================================================  =====  =====

* Shingle size 5. Exact Jaccard by shingle size (3 / 4 / 5 / 6 words): cut copy 0.61 / 0.60 /
  0.58 / 0.57; note with two words changed 0.73 / 0.65 / 0.61 / 0.57; independent report 0.06 /
  0.03 / 0.02 / 0.02; template note 0.59 / 0.52 / 0.45 / 0.38. Three or four words merge
  template notes about different incidents; six words bring real copies within one standard
  error of the threshold. Five is the compromise.
* ``THRESHOLD`` = 0.5: the lowest copy above (0.58) and the highest independent report (0.04)
  are both more than 0.044 (one standard error of the estimate) away from it.
* LSH banding: ``BANDS`` = 32 bands of ``ROWS`` = 4 values. Two texts become candidates when one
  band is equal; the probability is ``1 - (1 - J**4)**32``: 0.87 at J = 0.5, 0.99 at 0.6, 1.0 at
  0.7, 0.23 at 0.3 and 0.03 at 0.2. Candidates are then checked on the full signature. A
  ``StoryIndex`` threshold below ~0.45 therefore loses recall; raising it is free.
* Short notes (30-60 words) use the same settings, chosen so that a copy with another dateline,
  a source line or one or two words changed is a duplicate (0.6-0.9), while an independent note
  on the same event is not (0.00). Texts under five words are one shingle and match only the
  same words; a text with no words at all is its own story in :func:`story_ids`.

Known limits: a copy truncated to less than about half of the original (a wire story cut to its
first paragraphs) falls below 0.5 because Jaccard, not containment, is estimated; a translated
copy is not recognised; notes written from one template are close to the threshold (0.45 above
with four slots changed), so two different incidents whose notes differ in only one or two
slots (e.g. the date alone) are taken for one story.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

NAME = "neardup.v1"

#: Words per shingle (see the module docstring for why 5).
SHINGLE_SIZE = 5
#: MinHash functions per signature.
PERMUTATIONS = 128
#: LSH bands x rows per band; BANDS * ROWS == PERMUTATIONS.
BANDS = 32
ROWS = 4  # _band_keys packs exactly four 32-bit values per band
#: Estimated Jaccard similarity at or above which two texts are one story.
THRESHOLD = 0.5

_MERSENNE = (1 << 61) - 1
_MASK32 = 0xFFFFFFFF
#: Shingles hashed per block, so a very long text never builds a huge matrix.
_BLOCK = 4096
#: Added signatures kept unsorted before they are merged into the sorted band table.
_PENDING = 512

_NUM_SEP = re.compile(r"(?<=\d)[,.'’\u00a0\u202f\u2009 ](?=\d)")
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    norm = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_NUM_SEP.sub("", norm))


def _blake64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


@functools.lru_cache(maxsize=1 << 17)
def _word_hash(word: str) -> int:
    """:func:`_blake64` of a word, kept for the most recent words (reports share most)."""
    return _blake64(word.encode("utf-8"))


@functools.cache
def _params() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingle multipliers and MinHash coefficients, derived from NAME (stable everywhere)."""
    mult = np.array(
        [_blake64(f"{NAME}:shingle:{i}".encode()) | 1 for i in range(SHINGLE_SIZE)],
        dtype=np.uint64,
    )
    # a, b < 2**32 and shingle hashes < 2**32, so a * x + b < 2**64: no uint64 overflow.
    a = np.array(
        [(_blake64(f"{NAME}:a:{i}".encode()) & _MASK32) | 1 for i in range(PERMUTATIONS)],
        dtype=np.uint64,
    )
    b = np.array(
        [_blake64(f"{NAME}:b:{i}".encode()) & _MASK32 for i in range(PERMUTATIONS)],
        dtype=np.uint64,
    )
    return mult, a, b


def _fmix(h: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser; uint64 arithmetic wraps modulo 2**64."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _mix(h: np.ndarray) -> np.ndarray:
    """:func:`_fmix` reduced to its high 32 bits."""
    return _fmix(h) >> np.uint64(32)


def _shingle_array(text: str, size: int) -> np.ndarray:
    """Distinct 32-bit shingle hashes of ``text`` as a sorted uint64 array."""
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, not {size}")
    words = _words(text)
    ids = np.array([_word_hash(w) for w in words], dtype=np.uint64)
    n = len(ids)
    if size == SHINGLE_SIZE:
        mult = _params()[0]
    else:
        mult = np.array(
            [_blake64(f"{NAME}:shingle:{i}".encode()) | 1 for i in range(size)], dtype=np.uint64
        )
    if n < size:
        # one shingle of all the words; the length keeps it apart from any full-size shingle
        acc = np.array([n], dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for i in range(n):
            acc = acc + ids[i : i + 1] * mult[i]
        return _mix(acc)
    acc = np.zeros(n - size + 1, dtype=np.uint64)
    for i in range(size):
        acc = acc + ids[i : n - size + 1 + i] * mult[i]
    return np.unique(_mix(acc))


def shingles(text: str, *, size: int = SHINGLE_SIZE) -> set[int]:
    """Hashed word shingles of the normalised text (NFKC, case-folded, number separators dropped,
    punctuation and whitespace as word breaks); 32-bit values, stable across processes."""
    return {int(x) for x in _shingle_array(text, size)}


def signature(text: str) -> tuple[int, ...]:
    """MinHash signature (``PERMUTATIONS`` 32-bit values) of the text's shingles.

    Deterministic; an empty or very short text (fewer than ``SHINGLE_SIZE`` words) gets the
    signature of a single shingle of its words, so it matches only the same words.
    """
    _, a, b = _params()
    sh = _shingle_array(text, SHINGLE_SIZE)
    sig = np.full(PERMUTATIONS, _MASK32 + 1, dtype=np.uint64)
    for start in range(0, len(sh), _BLOCK):
        block = sh[start : start + _BLOCK, None]
        vals = ((block * a + b) % np.uint64(_MERSENNE)) & np.uint64(_MASK32)
        np.minimum(sig, vals.min(axis=0), out=sig)
    return tuple(int(x) for x in sig)


def encode(sig: tuple[int, ...]) -> str:
    """Compact ASCII text for a DB column: big-endian uint32 values in URL-safe base64."""
    # checked as one array (a Python loop over 128 values cost more than the encoding):
    # as int64, a negative value or one past 32 bits is seen before it could wrap
    try:
        values = np.asarray(sig, dtype=np.int64)
    except OverflowError:
        values = np.array([-1])
    if values.size and (values.min() < 0 or values.max() > _MASK32):
        raise ValueError("a signature holds unsigned 32-bit integers only")
    raw = values.astype(">u4").tobytes()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode(s: str) -> tuple[int, ...]:
    """Inverse of :func:`encode`; ``ValueError`` for text that is not an encoded signature."""
    if "+" in s or "/" in s:
        raise ValueError(f"not an encoded {NAME} signature: standard base64, not URL-safe")
    try:
        raw = base64.b64decode(s.encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, UnicodeEncodeError) as e:
        raise ValueError(f"not an encoded {NAME} signature: {e}") from e
    if len(raw) % 4:
        raise ValueError(f"not an encoded {NAME} signature: {len(raw)} bytes")
    return tuple(int(x) for x in np.frombuffer(raw, dtype=">u4"))


def decode_many(texts: Iterable[str]) -> np.ndarray:
    """:func:`decode` of many encoded signatures at once: a (n, PERMUTATIONS) uint32
    array; ``ValueError`` naming the first that is not an encoded signature of this
    version."""
    parts = []
    for n, s in enumerate(texts):
        try:
            if "+" in s or "/" in s:
                raise ValueError("standard base64, not URL-safe")
            raw = base64.b64decode(s.encode("ascii"), altchars=b"-_", validate=True)
        except (ValueError, UnicodeEncodeError) as e:
            raise ValueError(f"signature {n} is not an encoded {NAME} signature: {e}") from e
        if len(raw) != 4 * PERMUTATIONS:
            raise ValueError(
                f"signature {n} has {len(raw) // 4} values, not {PERMUTATIONS};"
                " recompute it with harmledger.fuse.neardup.signature"
            )
        parts.append(raw)
    flat = np.frombuffer(b"".join(parts), dtype=">u4").astype(np.uint32)
    return flat.reshape(len(parts), PERMUTATIONS)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity: the fraction of positions where the signatures agree."""
    if len(a) != len(b):
        raise ValueError(
            f"signatures of different lengths ({len(a)} and {len(b)}) cannot be compared;"
            " recompute both with the same version"
        )
    if not a:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """The band keys of signatures (rows of ``sigs``): a (n, BANDS) uint64 array."""
    return _band_keys(np.asarray(sigs, dtype=np.uint32).reshape(-1, PERMUTATIONS))


def stored_keys(keys: np.ndarray) -> list[int]:
    """Band keys as a database's signed 64-bit integers hold them (the same bits)."""
    return [int(x) for x in np.ascontiguousarray(keys, dtype=np.uint64).view(np.int64).ravel()]


def place_among(
    keys: Sequence[str],
    sigs: Sequence[tuple[int, ...]],
    hits: Iterable[tuple[int, int, str]],
    stored: Mapping[str, tuple[str, str]],
    *,
    threshold: float = THRESHOLD,
) -> list[tuple[str, float]]:
    """Place new documents (``keys``, with their signatures ``sigs``, in order) in stories
    as :meth:`StoryIndex.place` would, were every stored document in the index: each joins
    the story of its most similar document, stored or placed before it here (the earliest
    on a tie), or is its own story. ``hits``: ``(band key as stored, seq, document id)`` of
    the stored documents sharing a band key with any of the new ones; ``stored``: their
    ``(story id, encoded signature)``. Returns (story id, similarity) of each."""
    rows = np.asarray(sigs, dtype=np.uint32).reshape(len(keys), PERMUTATIONS)
    bands = _band_keys(rows)
    by_band: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for band, seq, doc in hits:
        by_band[band].append((seq, doc))
    docs = sorted({doc for found in by_band.values() for _, doc in found})
    where = {doc: n for n, doc in enumerate(docs)}
    old = decode_many(stored[doc][1] for doc in docs)
    local = StoryIndex(threshold=threshold)  # the new documents, as they are placed
    out = []
    for k, key in enumerate(keys):
        row, qk = rows[k], bands[k]
        near = {x for band in stored_keys(qk) for x in by_band.get(band, ())}
        best: tuple[float, int, str] | None = None  # (similarity, -seq, document)
        if near:
            seqs, found = zip(*sorted(near), strict=True)
            sims = (old[[where[d] for d in found]] == row).mean(axis=1)
            for sim, seq, doc in zip(sims, seqs, found, strict=True):
                if sim >= threshold and (best is None or sim > best[0]):
                    best = (float(sim), -seq, doc)
        mine = local._query_row(row, qk)
        if best is not None and (not mine or best[0] >= mine[0][1]):
            story, sim = stored[best[2]][0] or best[2], best[0]
        elif mine:
            story, sim = local.story(mine[0][0]), mine[0][1]
        else:
            story, sim = key, 1.0
        local._add_row(key, story, row, qk)
        out.append((story, sim))
    return out


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    """One uint64 key per (signature, band): the band number in the top 6 bits, a 58-bit hash of
    the band's four values below (a rare collision only costs one extra similarity check)."""
    rows = sigs.reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    hi = (rows[:, :, 0] << np.uint64(32)) | rows[:, :, 1]
    lo = (rows[:, :, 2] << np.uint64(32)) | rows[:, :, 3]
    h = _fmix(_fmix(hi) ^ lo) >> np.uint64(6)
    return h | (np.arange(BANDS, dtype=np.uint64) << np.uint64(58))


def _grown(rows: np.ndarray, used: int, cap: int) -> np.ndarray:
    """``rows`` in a new array of ``cap`` rows, its first ``used`` copied (``np.resize``
    would keep a buffer of a whole multiple of the old one behind a view of ``cap``)."""
    out = np.empty((cap, *rows.shape[1:]), dtype=rows.dtype)
    out[:used] = rows[:used]
    return out


class StoryIndex:
    """LSH (banding) index: add signatures one by one; find near-duplicates in sub-linear time.

    Band keys live in one sorted uint64 array (binary search per query); recent additions wait in
    an unsorted buffer (scanned linearly) that is merged in batches growing with the table;
    memory is about 1.2 KB per signature (and at most a quarter more in spare rows).
    """

    def __init__(self, *, threshold: float = THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self._keys: list[str] = []
        self._rows: dict[str, int] = {}
        self._story: dict[str, str] = {}  # key -> the story it belongs to
        self._sigs = np.empty((0, PERMUTATIONS), dtype=np.uint32)
        self._bands = np.empty((0, BANDS), dtype=np.uint64)  # band keys of each row
        self._n = 0
        self._sorted = np.empty(0, dtype=np.uint64)  # band keys of rows [0, merged), sorted
        # row of each sorted band key (int32: a 2-billion-row index is far off, and the
        # index of a long run is smaller by 128 bytes a document)
        self._owner = np.empty(0, dtype=np.int32)
        self._merged = 0  # rows [merged, n) are searched by a linear scan until merged

    def __len__(self) -> int:
        return self._n

    def add(self, key: str, sig: tuple[int, ...], *, story: str | None = None) -> None:
        """Index ``sig`` under ``key``, a document of ``story`` (its own by default)."""
        row, bands = self._new(key, sig)
        self._add_row(key, story or key, row, bands)

    def _new(self, key: str, sig: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """A new key's checked signature row and its band keys (made once, for a query and
        the index)."""
        if key in self._rows:
            raise ValueError(f"'{key}' is already in the index")
        row = self._check(sig)
        return row, _band_keys(row[None, :])[0]

    def _add_row(self, key: str, story: str, row: np.ndarray, bands: np.ndarray) -> None:
        """:meth:`add` of a checked signature ``row`` and its band keys, of ``story``."""
        self._story[key] = story
        if self._n == len(self._sigs):
            # grown by a quarter, not doubled: the spare rows of a long run's index
            # (hundreds of MB at 200,000 documents) stay a fifth of it, for a few more copies
            cap = max(64, self._n + self._n // 4)
            self._sigs = _grown(self._sigs, self._n, cap)
            self._bands = _grown(self._bands, self._n, cap)
        self._sigs[self._n] = row
        self._bands[self._n] = bands
        self._rows[key] = self._n
        self._keys.append(key)
        self._n += 1
        # merge in batches that grow with the table: amortised O(log n) merges per doubling,
        # while the linear scan of the unmerged rows stays a few thousand comparisons
        if self._n - self._merged >= max(_PENDING, self._merged // 32):
            self._merge()

    def add_many(self, keys: Sequence[str], sigs: np.ndarray, stories: Sequence[str]) -> None:
        """:meth:`add` of many signatures (rows of ``sigs``, as :func:`decode_many` gives
        them) in order, at once: the same index as adding them one by one."""
        if len(keys) != len(sigs) or len(keys) != len(stories):
            raise ValueError("add_many needs as many keys, signatures and stories")
        if sigs.ndim != 2 or sigs.shape[1] != PERMUTATIONS:
            raise ValueError(f"a {NAME} signature has {PERMUTATIONS} values")
        if len(set(keys)) != len(keys) or any(key in self._rows for key in keys):
            twice = next(k for n, k in enumerate(keys) if k in self._rows or k in keys[:n])
            raise ValueError(f"'{twice}' is already in the index")
        for k, key in enumerate(keys):
            self._rows[key] = self._n + k
            story = stories[k]
            # a story is named by its first document: one string for both, not two copies
            self._story[key] = key if not story or story == key else story
        n = self._n + len(keys)
        if n > len(self._sigs):
            cap = max(64, n)
            self._sigs = _grown(self._sigs, self._n, cap)
            self._bands = _grown(self._bands, self._n, cap)
        self._sigs[self._n : n] = sigs
        self._bands[self._n : n] = _band_keys(sigs)
        self._keys.extend(keys)
        self._n = n
        self._merge()

    def query(self, sig: tuple[int, ...]) -> list[tuple[str, float]]:
        """(key, estimated similarity) of indexed signatures at or above the threshold, best
        first (ties in the order they were added)."""
        row = self._check(sig)
        return self._query_row(row, _band_keys(row[None, :])[0])

    def _query_row(self, row: np.ndarray, qk: np.ndarray) -> list[tuple[str, float]]:
        """:meth:`query` of a checked signature ``row`` with band keys ``qk``."""
        found: list[np.ndarray] = []  # arrays of candidate rows
        if len(self._sorted):
            lo = np.searchsorted(self._sorted, qk, side="left")
            hi = np.searchsorted(self._sorted, qk, side="right")
            found.extend(self._owner[a:b] for a, b in zip(lo, hi, strict=True) if b > a)
        if self._n > self._merged:
            same_band = (self._bands[self._merged : self._n] == qk).any(axis=1)
            found.append(np.nonzero(same_band)[0] + self._merged)
        if not found:
            return []
        cand = np.unique(np.concatenate(found))
        sims = (self._sigs[cand] == row).mean(axis=1)
        keep = sims >= self.threshold
        cand, sims = cand[keep], sims[keep]
        order = np.lexsort((cand, -sims))
        return [(self._keys[int(cand[i])], float(sims[i])) for i in order]

    def story(self, key: str) -> str:
        """The story an indexed key belongs to."""
        return self._story[key]

    def place(self, key: str, sig: tuple[int, ...]) -> tuple[str, float]:
        """Add a new document: it joins the story of its most similar indexed document
        (the earliest on a tie), or is its own story. Returns (story id, similarity to that
        document; 1.0 for its own story)."""
        row, bands = self._new(key, sig)
        hits = self._query_row(row, bands)
        story, sim = (self._story[hits[0][0]], hits[0][1]) if hits else (key, 1.0)
        self._add_row(key, story, row, bands)
        return story, sim

    def _check(self, sig: tuple[int, ...]) -> np.ndarray:
        if len(sig) != PERMUTATIONS:
            raise ValueError(
                f"a {NAME} signature has {PERMUTATIONS} values, not {len(sig)};"
                " recompute it with harmledger.fuse.neardup.signature"
            )
        return np.asarray(sig, dtype=np.uint32)

    def _merge(self) -> None:
        keys = self._bands[self._merged : self._n].ravel()
        owners = np.repeat(np.arange(self._merged, self._n, dtype=np.int32), BANDS)
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        pos = np.searchsorted(self._sorted, keys, side="right")
        self._sorted = np.insert(self._sorted, pos, keys)
        self._owner = np.insert(self._owner, pos, owners)
        self._merged = self._n


def story_ids(items: Iterable[tuple[str, str]], *, threshold: float = THRESHOLD) -> dict[str, str]:
    """items: (document id, text) in arrival order. Returns document id -> story id, where the
    story id is the id of the FIRST document of its near-duplicate cluster (so it is stable as
    documents arrive: a later copy gets the earlier document's id; a document that is nobody's
    copy is its own story).

    A document like several earlier ones joins the story of the most similar (the earliest on a
    tie); earlier assignments never change. A document with no words is always its own story.
    """
    index = StoryIndex(threshold=threshold)
    story: dict[str, str] = {}
    for doc_id, text in items:
        if doc_id in story:
            raise ValueError(f"document id '{doc_id}' appears twice")
        if not _words(text):
            story[doc_id] = doc_id
            continue
        story[doc_id], _ = index.place(doc_id, signature(text))
    return story
