"""``harmledger eval`` and ``harmledger train``: measure extraction and fusion against
labelled data, and learn an event-type model from the user's own."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from harmledger.errors import MSG_TRAIN_LABELS, ReadError
from harmledger.eval import evaluate, guess_format, write_report
from harmledger.eval.fusion import evaluate_fusion, write_fusion_report
from harmledger.eval.incidents import evaluate_incidents, write_incident_report
from harmledger.eval.training import (
    LabelledText,
    compare,
    describe,
    read_labelled,
)
from harmledger.eval.training import guess_format as training_format
from harmledger.learn.classifier import FeatureSettings, TrainSettings, TypeModel
from harmledger.learn.classifier import train as fit
from harmledger.safe import shown


@click.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("acled", "fakes", "ucdp", "gold", "hrdsattack")),
    default=None,
    help="What the file is (default: guessed from the CSV header or the JSON; JSON Lines is gold).",
)
@click.option("--limit", type=click.IntRange(min=0), help="Score only the first N examples.")
@click.option(
    "--errors",
    type=click.IntRange(min=0),
    default=0,
    help="Show the N most informative misses.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--fusion",
    is_flag=True,
    help="Score fusion instead: pairwise precision/recall of merging reports of one event "
    "(harmledger's labelled JSON Lines with an 'event' key, or FA-KES CSV).",
)
@click.option(
    "--incidents",
    is_flag=True,
    help="Score incident precision/recall instead: every incident of whole articles against "
    "the ones a coder records (harmledger's labelled articles, tests/incidents/*.jsonl).",
)
@click.option(
    "--model",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score extraction with a learned event-type model (harmledger train).",
)
def eval_(
    path: str,
    fmt: str | None,
    limit: int | None,
    errors: int,
    as_json: bool,
    fusion: bool,
    incidents: bool,
    model: Path | None,
) -> None:
    """Measure extraction against labelled data: accuracy per field of each document's
    main incident (its highest-confidence incident).

    PATH is harmledger's gold JSON Lines, your own ACLED export (any vintage), FA-KES or
    UCDP GED CSV, or HRDsAttack's JSON (violations scored as precision and recall over
    all the article's incidents).
    With --fusion, scores merging instead (tests/fusion/reports.jsonl, or FA-KES articles
    grouped by date, governorate and cause of death). With --incidents, scores every incident
    of whole articles: one event must give one incident, and background tolls, corrections,
    threats or trials none (tests/incidents/dev.jsonl). A measurement, not a gate: the exit
    status is 0 whatever the scores.

    Example: harmledger eval acled_iraq.csv --errors 20
    """
    if incidents:
        scored = evaluate_incidents(path, limit=limit, model=model)
        if as_json:
            json.dump(scored.to_dict(errors=errors), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            write_incident_report(scored, sys.stdout, errors=errors)
        return
    if fusion:
        kind = fmt or guess_format(path)
        if kind not in ("gold", "fakes"):
            raise click.UsageError("--fusion reads harmledger's labelled JSON Lines or FA-KES")
        result = evaluate_fusion(
            path, format="fusion" if kind == "gold" else "fakes", errors=errors or 10
        )
        if as_json:
            json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            write_fusion_report(result, sys.stdout)
        return
    report = evaluate(
        path, format=fmt or guess_format(path), limit=limit, errors=errors, model=model
    )
    if as_json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_report(report, sys.stdout)


@click.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("acled", "gold", "records")),
    default=None,
    help="What DATA is (default: guessed; ACLED CSV, gold or reviewed-records JSON Lines).",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the model (.npz).",
)
@click.option(
    "--holdout",
    type=click.FloatRange(0.0, 0.9),
    default=0.2,
    show_default=True,
    help="Share of DATA kept aside to measure rules, model and rules+model (0 = none).",
)
@click.option(
    "--test",
    "test_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Measure on this labelled file instead of a holdout (same formats as DATA).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Shuffling seed.")
@click.option(
    "--epochs",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Passes over the data.",
)
@click.option("--bigrams", is_flag=True, help="Use word pairs too (slower; see docs/train.md).")
def train(
    data: str,
    fmt: str | None,
    output: str,
    holdout: float,
    test_path: str | None,
    seed: int,
    epochs: int,
    bigrams: bool,
) -> None:
    """Train an event-type model on your own ACLED export or reviewed records.

    DATA is an ACLED export (.csv with notes, event_type, sub_event_type), harmledger's gold
    JSON Lines, or reviewed records as JSON Lines with text, event_type and sub_event_type.
    Before saving it measures, on a holdout (or on --test), how often the rules, the model
    alone and the rules+model cascade get the event type right. The saved model is trained
    on all of DATA; use it with 'harmledger extract --model' or 'harmledger eval --model'.
    Training rows never leave your machine; the model file holds only word weights.

    Example: harmledger train acled_iraq.csv --output iraq.npz --holdout 0.2 --seed 1
    """
    fmt = fmt or training_format(data)
    rows = read_labelled(data, format=fmt)
    types = sorted({r.event_type or "" for r in rows})
    if len(types) < 2:
        raise ReadError(data, MSG_TRAIN_LABELS.format(path=data, found=", ".join(types)))
    source = describe(data, len(rows), format=fmt)
    click.echo(
        f"read {len(rows):,} labelled texts from {shown(data)} (sha256 {source['sha256']:.12})"
    )
    features = FeatureSettings(bigrams=bigrams)
    settings = TrainSettings(seed=seed, epochs=epochs)

    def fit_on(part: list[LabelledText]) -> TypeModel:
        return fit(
            [r.text for r in part],
            [r.label for r in part],
            features=features,
            settings=settings,
            source=source,
        )

    test = None
    model_for_test = None
    if test_path:
        test = read_labelled(test_path)
        click.echo(f"measuring on {len(test):,} texts of {shown(test_path)}:")
    elif holdout > 0:
        import numpy as np

        order = np.random.default_rng(seed).permutation(len(rows))
        n_test = max(1, round(holdout * len(rows)))
        test = [rows[i] for i in sorted(order[:n_test])]
        trainset = [rows[i] for i in sorted(order[n_test:])]
        model_for_test = fit_on(trainset)
        click.echo(
            f"measuring on a holdout of {len(test):,} texts ({holdout:.0%}, seed {seed}), "
            f"model trained on the other {len(trainset):,}:"
        )

    started = time.perf_counter()
    model = fit_on(rows)
    seconds = time.perf_counter() - started
    if test is not None:
        result = compare(model_for_test or model, test)
        for line in result.lines():
            click.echo("  " + line)
    path = model.save(Path(output))
    size = path.stat().st_size
    click.echo(
        f"trained on {len(rows):,} texts in {seconds:.1f} s: {len(model.labels)} labels, "
        f"{len(model.features):,} features; wrote {shown(str(path))} ({size / 1e6:.1f} MB)"
    )
