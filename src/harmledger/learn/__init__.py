"""Learned parts: a linear event-type classifier trained on the user's own labelled data.

``train(texts, labels)`` -> :class:`TypeModel`; ``model.save(path)``; ``load_model(path)``
(cached per process); ``model.predict(text)`` -> :class:`Prediction`. The pipeline uses a
model only when ``Settings.model`` is set (stage ``classify.v1``,
:mod:`harmledger.pipeline.classify`). ``harmledger train`` is the command line. No model
trained on ACLED ships with harmledger (ACLED's terms forbid it); see docs/train.md.
"""

from __future__ import annotations

from harmledger.learn.classifier import (
    VERSION,
    FeatureSettings,
    Prediction,
    TrainSettings,
    TypeModel,
    load_model,
    train,
)
from harmledger.learn.data import Comparison, LabelledText, compare, read_labelled

__all__ = [
    "VERSION",
    "Comparison",
    "FeatureSettings",
    "LabelledText",
    "Prediction",
    "TrainSettings",
    "TypeModel",
    "compare",
    "load_model",
    "read_labelled",
    "train",
]
