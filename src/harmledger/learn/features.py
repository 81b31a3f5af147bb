"""Hashed word features: the text side of the learned event-type classifier.

Tokens are lower-case words (digits become ``0``, so "12 killed" and "3 killed" share a
feature); features are word unigrams and bigrams hashed with CRC-32 (stable across
processes and machines, unlike Python's salted ``hash()``) into ``2**bits`` buckets.
A text becomes a sparse row: sorted unique bucket ids and their log-count weights
(``1 + log tf``), optionally times IDF, L2-normalised.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

#: a word: letters (with inner apostrophes/hyphens) or a run of digits
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_DIGITS = re.compile(r"\d")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; every digit becomes ``0``."""
    return _TOKEN.findall(_DIGITS.sub("0", text.lower().replace("’", "'")))


def stable_hash(feature: str) -> int:
    """CRC-32 of the UTF-8 feature string: the same number on every machine and run."""
    return zlib.crc32(feature.encode("utf-8"))


def feature_counts(text: str, *, bits: int, bigrams: bool = True) -> Counter[int]:
    """Bucket id -> count of the text's unigrams (and bigrams, joined by a space)."""
    toks = tokenize(text)
    mask = (1 << bits) - 1
    feats: list[str] = list(toks)
    if bigrams:
        feats += [f"{a} {b}" for a, b in pairwise(toks)]
    return Counter(stable_hash(f) & mask for f in feats)


@dataclass(frozen=True, slots=True)
class SparseRows:
    """Rows in CSR form: row ``i`` is ``indices[indptr[i]:indptr[i+1]]`` with ``data``."""

    indptr: np.ndarray  # int64, len n_rows + 1
    indices: np.ndarray  # int64 bucket ids (or column ids after remapping)
    data: np.ndarray  # float32 weights

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: Sequence[int] | np.ndarray) -> SparseRows:
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        if len(rows):
            pos = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
        else:
            pos = np.zeros(0, dtype=np.int64)
        return SparseRows(indptr, self.indices[pos], self.data[pos])

    @property
    def row_ids(self) -> np.ndarray:
        """The row number of every stored value."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))


def count_rows(texts: Iterable[str], *, bits: int, bigrams: bool = True) -> SparseRows:
    """Raw log-count rows (``1 + log tf``), not yet weighted or normalised."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for text in texts:
        counts = feature_counts(text, bits=bits, bigrams=bigrams)
        keys = sorted(counts)
        indices.extend(keys)
        data.extend(1.0 + math.log(counts[k]) for k in keys)
        indptr.append(len(indices))
    return SparseRows(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int64),
        np.asarray(data, dtype=np.float32),
    )


def l2_normalise(rows: SparseRows) -> SparseRows:
    """Each row scaled to unit length (an empty row stays empty)."""
    sq = np.bincount(rows.row_ids, weights=rows.data.astype(np.float64) ** 2, minlength=len(rows))
    norms = np.sqrt(np.maximum(sq, 1e-12)).astype(np.float32)
    return SparseRows(rows.indptr, rows.indices, rows.data / np.repeat(norms, np.diff(rows.indptr)))
