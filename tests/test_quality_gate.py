"""The quality gate: extraction accuracy on the hand-labelled gold set must not drop.

``tests/quality/gold.jsonl`` holds ~300 short reports written for harmledger and labelled by
hand as an ACLED coder would code them; ``tests/quality/baseline.json`` pins, per scored field,
the accuracy reached when the floors were last raised. This test scores the current
extractor with ``harmledger.eval.evaluate(..., format="gold")`` and fails when any field falls
below its floor, printing a table of the drops. Raise floors with
``scripts/update_quality_baseline.py``; see ``tests/quality/README.md``.

The other tests here check the gold file itself (well-formed, ACLED's taxonomy, every
sub-event type covered) so that a bad edit to the data fails loudly rather than silently
moving the scores.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from harmledger.model import VIOLATIONS

QUALITY = Path(__file__).parent / "quality"
GOLD = QUALITY / "gold.jsonl"
BASELINE = QUALITY / "baseline.json"
#: floors are rounded down to 3 decimals; this only absorbs float noise
EPSILON = 1e-9

TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
ROLES = {"killed", "injured", "missing", "abducted", "detained", "displaced", "tortured"}
EXPECTED_KEYS = {
    "incident",
    "event_type",
    "sub_event_type",
    "fatalities",
    "counts",
    "date",
    "location",
    "actor1",
    "actor2",
    "violations",
}
TAG_KINDS = {"event", "sub", "count", "date", "place", "style", "incident", "country"}


def _examples() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


# --------------------------------------------------------------------------- the gate


@pytest.fixture(scope="module")
def report() -> Any:
    from harmledger.eval import evaluate

    return evaluate(GOLD, format="gold")


def drops_table(floors: dict[str, float], report: Any) -> list[str]:
    """One line per field below its floor (or no longer scored), for the failure message."""
    rows = []
    for field, floor in sorted(floors.items()):
        score = report.fields.get(field)
        if score is None:
            rows.append(f"{field:24s} {floor:7.3f} {'gone':>7s}")
        elif score.accuracy < floor - EPSILON:
            rows.append(
                f"{field:24s} {floor:7.3f} {score.accuracy:7.3f} {score.accuracy - floor:+7.3f}"
                f"  ({score.correct}/{score.total})"
            )
    return rows


def test_quality_gate_no_field_below_its_floor(report: Any) -> None:
    floors: dict[str, float] = json.loads(BASELINE.read_text(encoding="utf-8"))["fields"]
    assert floors, "baseline.json pins no field"
    drops = drops_table(floors, report)
    assert not drops, (
        "extraction quality dropped on tests/quality/gold.jsonl:\n"
        f"{'field':24s} {'floor':>7s} {'now':>7s} {'change':>7s}\n"
        + "\n".join(drops)
        + "\nsee the misses: .venv/bin/harmledger eval tests/quality/gold.jsonl --errors 20"
        " (or harmledger.eval.evaluate(..., errors=20)); lower a floor only on purpose:"
        " scripts/update_quality_baseline.py --allow-lower"
    )


def test_quality_gate_scores_every_example(report: Any) -> None:
    assert report.documents == len(_examples())


def test_quality_gate_baseline_covers_every_scored_field(report: Any) -> None:
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["fields"]
    missing = sorted(set(report.fields) - set(floors))
    assert not missing, f"fields scored but not pinned (run the update script): {missing}"


def test_drops_table_lists_only_fields_below_their_floor() -> None:
    from harmledger.eval.report import EvalReport, FieldScore

    r = EvalReport(format="gold")
    r.fields = {"event_type": FieldScore(8, 10), "fatalities": FieldScore(9, 10)}
    rows = drops_table({"event_type": 0.8, "fatalities": 0.95, "actor1": 0.5}, r)
    assert [row.split()[0] for row in rows] == ["actor1", "fatalities"]
    assert "gone" in rows[0] and "-0.050" in rows[1]


# --------------------------------------------------------------------------- the data


def test_gold_ids_are_unique_and_ordered() -> None:
    ids = [e["id"] for e in _examples()]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 250


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["id"])
def test_gold_example_is_well_formed(example: dict[str, Any]) -> None:
    assert set(example) == {"id", "text", "published", "tags", "expected"}
    assert example["text"].strip() and len(example["text"]) < 600
    assert len(example["published"]) == 10
    exp = example["expected"]
    assert set(exp) <= EXPECTED_KEYS
    for tag in example["tags"]:
        assert tag.split(":", 1)[0] in TAG_KINDS, tag
    if exp.get("incident") is False:
        assert set(exp) == {"incident"}
        return
    if "sub_event_type" in exp:
        assert exp["sub_event_type"] in TAXONOMY[exp["event_type"]]
    assert set(exp.get("counts", {})) <= ROLES
    for bounds in exp.get("counts", {}).values():
        assert set(bounds) == {"min", "max"}
        if bounds["min"] is not None and bounds["max"] is not None:
            assert bounds["min"] <= bounds["max"]
    if "fatalities" in exp:
        assert isinstance(exp["fatalities"], int) and exp["fatalities"] >= 0
    if "date" in exp:
        d = exp["date"]
        assert d["start"] <= d["end"] <= example["published"]
        assert d.get("precision") in (1, 2, 3)
    if "location" in exp:
        loc = exp["location"]
        assert loc["country"] and loc["precision"] in (1, 2, 3)
        if "latitude" in loc:
            assert -90 <= loc["latitude"] <= 90 and -180 <= loc["longitude"] <= 180
            if loc["country"] in ("Iraq", "Syria"):
                assert 29 <= loc["latitude"] <= 38 and 35 <= loc["longitude"] <= 49
    assert set(exp.get("violations", [])) <= set(VIOLATIONS)


def test_gold_covers_every_sub_event_type_and_no_incident_texts() -> None:
    subs = Counter(e["expected"].get("sub_event_type") for e in _examples())
    for event_type, names in TAXONOMY.items():
        for name in names:
            assert subs[name] >= 3, f"fewer than 3 examples of {event_type} / {name}"
    nothing = [e for e in _examples() if e["expected"].get("incident") is False]
    assert len(nothing) >= 20


# --------------------------------------------------------------------------- the update script


@pytest.fixture()
def updater() -> Any:
    import importlib.util

    path = Path(__file__).parent.parent / "scripts" / "update_quality_baseline.py"
    spec = importlib.util.spec_from_file_location("update_quality_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("value", "floor"),
    [(0.80399, 0.803), (0.8039999, 0.803), (1.0, 1.0), (0.0, 0.0), (2 / 3, 0.666)],
)
def test_update_script_rounds_floors_down(updater: Any, value: float, floor: float) -> None:
    assert updater.floor3(value) == floor


def test_update_script_refuses_to_lower_a_floor_unless_asked(
    updater: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"fields": {"event_type": 0.8, "fatalities": 0.9}}))
    now = {"event_type": 0.85, "fatalities": 0.88, "actor1": 0.5}
    monkeypatch.setattr(updater, "current_scores", lambda gold: (now, {}, 3))
    args = ["--baseline", str(baseline), "--gold", str(tmp_path / "g.jsonl")]
    assert updater.main(args) == 1
    assert json.loads(baseline.read_text())["fields"] == {"event_type": 0.8, "fatalities": 0.9}
    assert updater.main([*args, "--allow-lower"]) == 0
    assert json.loads(baseline.read_text())["fields"] == now


def test_update_script_raises_floors_that_improved(
    updater: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"fields": {"event_type": 0.8}}))
    monkeypatch.setattr(updater, "current_scores", lambda gold: ({"event_type": 0.9}, {}, 3))
    args = ["--baseline", str(baseline), "--gold", str(tmp_path / "g.jsonl")]
    assert updater.main([*args, "--dry-run"]) == 0
    assert json.loads(baseline.read_text())["fields"] == {"event_type": 0.8}
    assert updater.main(args) == 0
    assert json.loads(baseline.read_text())["fields"] == {"event_type": 0.9}
