"""A linear text classifier for ACLED (event_type, sub_event_type), in numpy only.

Features: hashed word unigrams and bigrams (:mod:`harmledger.learn.features`), log-count x
IDF, L2-normalised. Model: multinomial logistic regression over the *pairs*
(event_type, sub_event_type) seen in training, so a prediction is always a valid pair;
the event type's probability is the sum over its sub-event types. Training: a few epochs
of mini-batch SGD from a fixed seed (same data + same seed = the same weights).

The model file is one ``.npz`` (no pickle): a JSON header (``version``
``eventtype.v1``, labels, feature settings, what it was trained on and when) and the
arrays ``features``, ``idf``, ``weights``, ``bias``. :func:`load_model` reads it once
per process and fails with a :class:`~harmledger.errors.ModelError` that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import math
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from harmledger.errors import MSG_MODEL_BAD, MSG_MODEL_MISSING, MSG_MODEL_VERSION, ModelError
from harmledger.learn.features import SparseRows, count_rows, feature_counts, l2_normalise

#: the model kind and version written into (and required from) every model file
VERSION = "eventtype.v1"

Label = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """How texts become vectors (stored in the model file, so prediction does the same)."""

    bits: int = 20  # 2**20 hash buckets: collisions are rare for a few hundred thousand n-grams
    #: word pairs too; off by default: on ACLED notes they measured worse (docs/train.md)
    bigrams: bool = False
    idf: bool = True
    min_df: int = 1  # drop n-grams seen in fewer training texts than this


@dataclass(frozen=True, slots=True)
class TrainSettings:
    """The optimiser. The defaults measured best on ACLED notes (see docs/train.md)."""

    epochs: int = 10
    batch_size: int = 16
    #: high, because rows are L2-normalised: each word carries a small share of the score
    learning_rate: float = 20.0
    decay: float = 0.3  # learning rate of epoch e = learning_rate / (1 + decay * e)
    l2: float = 0.0  # weight decay per step on the rows a batch touches (measured no help)
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's best (event_type, sub_event_type) and how sure it is."""

    event_type: str | None
    sub_event_type: str | None
    #: probability of the (event_type, sub_event_type) pair
    probability: float
    #: probability of the event type (summed over its sub-event types)
    event_type_probability: float


@dataclass(frozen=True)
class TypeModel:
    """A trained classifier. Build with :func:`train`, or :func:`load_model` a saved one."""

    labels: tuple[Label, ...]
    features: np.ndarray  # sorted uint32 bucket ids the model knows (its columns)
    idf: np.ndarray  # float32 per column
    default_idf: float  # for n-grams never seen in training
    weights: np.ndarray  # float32 (n_columns, n_labels)
    bias: np.ndarray  # float32 (n_labels,)
    settings: FeatureSettings = field(default_factory=FeatureSettings)
    #: training description: data file, rows, sha256, date, seed, optimiser settings
    info: dict[str, Any] = field(default_factory=dict)
    #: sha256 of the file it was loaded from (None when trained in this process)
    file_sha256: str | None = None

    # ------------------------------------------------------------------ prediction

    def vectorise(self, texts: Sequence[str]) -> SparseRows:
        """Texts -> L2-normalised rows over the model's columns (unknown n-grams only
        count towards the length)."""
        raw = count_rows(texts, bits=self.settings.bits, bigrams=self.settings.bigrams)
        pos = np.searchsorted(self.features, raw.indices)
        pos = np.minimum(pos, max(len(self.features) - 1, 0))
        known = self.features[pos] == raw.indices if len(self.features) else pos < 0
        weight = raw.data
        if self.settings.idf:
            weight = weight * np.where(known, self.idf[pos], self.default_idf).astype(np.float32)
        rows = l2_normalise(SparseRows(raw.indptr, raw.indices, weight))
        keep_counts = np.bincount(rows.row_ids[known], minlength=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(keep_counts, out=indptr[1:])
        return SparseRows(indptr, pos[known].astype(np.int64), rows.data[known])

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), len(labels))`` probabilities."""
        return _softmax(_scores(self.vectorise(texts), self.weights, self.bias))

    def predict(self, text: str) -> Prediction:
        """The best pair for one text (a fast path: one small matrix product)."""
        columns, idf = self._columns
        tot = 0.0
        cols: list[int] = []
        vals: list[float] = []
        for bucket, n in feature_counts(
            text, bits=self.settings.bits, bigrams=self.settings.bigrams
        ).items():
            w = 1.0 + math.log(n)
            j = columns.get(bucket)
            if self.settings.idf:
                w *= idf[j] if j is not None else self.default_idf
            tot += w * w
            if j is not None:
                cols.append(j)
                vals.append(w)
        z = self.bias.astype(np.float64)
        if cols:
            z = z + np.asarray(vals) @ self.weights[cols] / math.sqrt(tot)
        e = np.exp(z - z.max())
        p = e / e.sum()
        best = int(np.argmax(p))
        et_index, n_types = self._event_types
        et_p = np.bincount(et_index, weights=p, minlength=n_types)
        et, sub = self.labels[best]
        return Prediction(et, sub, float(p[best]), float(et_p[et_index[best]]))

    def predictions(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict(t) for t in texts]

    @cached_property
    def tag(self) -> str:
        """``eventtype.v1@<first 12 hex digits of the file's sha256>`` (``@unsaved`` when the
        model was trained in this process): what incidents record in their ``versions``."""
        return f"{VERSION}@{(self.file_sha256 or 'unsaved')[:12]}"

    @cached_property
    def _columns(self) -> tuple[dict[int, int], list[float]]:
        """Bucket id -> column, and the IDF of each column as Python floats."""
        return {int(b): j for j, b in enumerate(self.features)}, self.idf.tolist()

    @cached_property
    def _event_types(self) -> tuple[np.ndarray, int]:
        """The event-type number of each label, and how many event types there are."""
        ets = sorted({et or "" for et, _ in self.labels})
        return np.array([ets.index(et or "") for et, _ in self.labels]), len(ets)

    # ------------------------------------------------------------------ files

    @property
    def header(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "labels": [list(lab) for lab in self.labels],
            "features": {
                **asdict(self.settings),
                "hash": "crc32 of the UTF-8 n-gram, masked to bits",
                "tokens": "lower-case words, digits as 0; bigrams joined by a space",
                "weighting": "(1 + log tf) * idf" if self.settings.idf else "1 + log tf",
                "idf": "log((1 + n) / (1 + df)) + 1",
                "norm": "l2",
            },
            "model": "multinomial logistic regression over (event_type, sub_event_type) pairs",
            "default_idf": self.default_idf,
            **self.info,
        }

    def save(self, path: str | Path) -> Path:
        """Write the model to ``path`` (a compressed ``.npz``, no pickled objects)."""
        p = Path(path)
        header = json.dumps(self.header, ensure_ascii=False, sort_keys=True).encode("utf-8")
        with p.open("wb") as fp:
            np.savez_compressed(
                fp,
                header=np.frombuffer(header, dtype=np.uint8),
                features=self.features.astype(np.uint32),
                idf=self.idf.astype(np.float32),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
            )
        return p


def _scores(x: SparseRows, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    contrib = weights[x.indices] * x.data[:, None]
    out = np.zeros((len(x), weights.shape[1]), dtype=np.float64)
    np.add.at(out, x.row_ids, contrib)
    return out + bias


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- training


def train(
    texts: Sequence[str],
    labels: Sequence[Label],
    *,
    features: FeatureSettings | None = None,
    settings: TrainSettings | None = None,
    source: dict[str, Any] | None = None,
) -> TypeModel:
    """Learn (event_type, sub_event_type) from texts. Deterministic for a given seed.

    ``source`` describes the training data for the model's header (file, rows, sha256).
    """
    fs = features or FeatureSettings()
    ts = settings or TrainSettings()
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    label_set = tuple(sorted(set(labels), key=lambda lab: (lab[0] or "", lab[1] or "")))
    y = np.array([label_set.index(lab) for lab in labels], dtype=np.int64)
    n, k = len(texts), len(label_set)

    raw = count_rows(texts, bits=fs.bits, bigrams=fs.bigrams)
    cols, inverse = np.unique(raw.indices, return_inverse=True)
    df = np.bincount(inverse, minlength=len(cols))  # each row holds a bucket at most once
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    default_idf = float(np.log(1 + n) + 1)
    data = raw.data * idf[inverse] if fs.idf else raw.data
    x = l2_normalise(SparseRows(raw.indptr, inverse.astype(np.int64), data.astype(np.float32)))
    if fs.min_df > 1:
        keep_cols = df >= fs.min_df
        remap = np.cumsum(keep_cols) - 1
        keep = keep_cols[x.indices]
        counts = np.bincount(x.row_ids[keep], minlength=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        x = SparseRows(indptr, remap[x.indices[keep]], x.data[keep])
        cols, idf = cols[keep_cols], idf[keep_cols]

    weights = np.zeros((len(cols), k), dtype=np.float64)
    bias = np.zeros(k, dtype=np.float64)
    rng = np.random.default_rng(ts.seed)
    onehot = np.eye(k)
    for epoch in range(ts.epochs):
        lr = ts.learning_rate / (1 + ts.decay * epoch)
        order = rng.permutation(n)
        for start in range(0, n, ts.batch_size):
            batch = order[start : start + ts.batch_size]
            xb = x.take(batch)
            p = _softmax(_scores(xb, weights, bias))
            grad = (p - onehot[y[batch]]) / len(batch)
            touched = np.unique(xb.indices)
            if ts.l2:
                weights[touched] *= 1 - lr * ts.l2 * len(batch)
            np.add.at(weights, xb.indices, -lr * xb.data[:, None] * grad[xb.row_ids])
            bias -= lr * grad.sum(axis=0)

    info = {
        "trained": datetime.now(UTC).date().isoformat(),
        "training_data": source or {"rows": n},
        "train_settings": asdict(ts),
    }
    return TypeModel(
        labels=label_set,
        features=cols.astype(np.uint32),
        idf=idf,
        default_idf=default_idf,
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        settings=fs,
        info=info,
    )


# --------------------------------------------------------------------------- loading


def load_model(path: str | Path) -> TypeModel:
    """The model saved at ``path``, read once per process (again if the file changes)."""
    p = Path(path).expanduser()
    try:
        st = p.stat()
    except OSError:
        raise ModelError(MSG_MODEL_MISSING.format(path=p)) from None
    if not p.is_file():
        raise ModelError(MSG_MODEL_BAD.format(path=p, detail="not a file"))
    return _load(str(p.resolve()), st.st_mtime_ns, st.st_size)


@cache
def _load(path: str, mtime_ns: int, size: int) -> TypeModel:
    def bad(detail: str) -> ModelError:
        return ModelError(MSG_MODEL_BAD.format(path=path, detail=detail))

    blob = Path(path).read_bytes()
    try:
        import io

        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            arrays = {name: z[name] for name in z.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise bad(f"cannot read it as .npz: {e}") from None
    missing = [a for a in ("header", "features", "idf", "weights", "bias") if a not in arrays]
    if missing:
        raise bad(f"missing {', '.join(missing)}")
    try:
        header = json.loads(arrays["header"].tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise bad(f"unreadable header: {e}") from None
    if not isinstance(header, dict):
        raise bad("the header is not a JSON object")
    if header.get("version") != VERSION:
        raise ModelError(
            MSG_MODEL_VERSION.format(path=path, found=header.get("version"), expected=VERSION)
        )
    try:
        labels = tuple((a, b) for a, b in header["labels"])
        f = header["features"]
        settings = FeatureSettings(
            bits=int(f["bits"]),
            bigrams=bool(f["bigrams"]),
            idf=bool(f["idf"]),
            min_df=int(f["min_df"]),
        )
        default_idf = float(header["default_idf"])
    except (KeyError, TypeError, ValueError) as e:
        raise bad(f"incomplete header: {e}") from None
    features, idf = arrays["features"], arrays["idf"]
    weights, bias = arrays["weights"], arrays["bias"]
    shapes_ok = (
        features.ndim == 1
        and idf.shape == features.shape
        and weights.shape == (len(features), len(labels))
        and bias.shape == (len(labels),)
    )
    if not shapes_ok:
        raise bad("its arrays do not fit together")
    reserved = {"version", "labels", "features", "model", "default_idf"}
    return TypeModel(
        labels=labels,
        features=features.astype(np.uint32),
        idf=idf.astype(np.float32),
        default_idf=default_idf,
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        settings=settings,
        info={k: v for k, v in header.items() if k not in reserved},
        file_sha256=hashlib.sha256(blob).hexdigest(),
    )
