"""Learned parts: a linear event-type classifier trained on the user's own labelled data.

``train(texts, labels)`` -> :class:`TypeModel`; ``model.save(path)``; ``load_model(path)``
(cached per process); ``model.predict(text)`` -> :class:`Prediction`. The pipeline uses a
model only when ``Settings.model`` is set (stage ``classify.v1``,
:mod:`harmledger.pipeline.classify`). ``harmledger train`` is the command line; reading
labelled data and comparing the model with the rules is :mod:`harmledger.eval.training`.
No model trained on ACLED ships with harmledger (ACLED's terms forbid it); see
docs/train.md.
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

__all__ = [
    "VERSION",
    "FeatureSettings",
    "Prediction",
    "TrainSettings",
    "TypeModel",
    "load_model",
    "train",
]
