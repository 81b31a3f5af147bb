"""``harmledger train`` and the ``--model`` option of extract and eval, through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harmledger.cli import main
from harmledger.learn import load_model

FIXTURES = Path(__file__).parent / "fixtures" / "learn"
ACLED = FIXTURES / "acled_small.csv"
RECORDS = FIXTURES / "records.jsonl"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def trained(runner, tmp_path):
    out = tmp_path / "model.npz"
    result = runner.invoke(main, ["train", str(ACLED), "--output", str(out), "--holdout", "0.25"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_learn_cli_train_on_acled_csv(trained):
    out, output = trained
    assert "read 48 labelled texts" in output
    assert "holdout of 12 texts (25%, seed 0)" in output
    for row in ("rules", "model alone", "rules + model"):
        assert row in output
    model = load_model(out)
    assert len(model.labels) == 6
    header = model.header
    assert header["training_data"]["file"] == "acled_small.csv"
    assert header["training_data"]["rows"] == 48
    assert header["training_data"]["format"] == "acled"
    assert len(header["training_data"]["sha256"]) == 64
    p = model.predict("Iraqi security forces arrested a wanted suspect in Mosul.")
    assert (p.event_type, p.sub_event_type) == ("Strategic developments", "Arrests")


def test_learn_cli_model_alone_scores_on_holdout(trained):
    _, output = trained
    line = next(ln for ln in output.splitlines() if "model alone" in ln)
    et, sub = (float(x) for x in line.split()[-2:])
    assert et == 1.0 and sub == 1.0  # the templated rows are easy to separate


def test_learn_cli_train_is_reproducible(runner, tmp_path):
    outs = []
    for name in ("a.npz", "b.npz"):
        out = tmp_path / name
        r = runner.invoke(
            main, ["train", str(ACLED), "-o", str(out), "--holdout", "0", "--seed", "3"]
        )
        assert r.exit_code == 0, r.output
        outs.append(load_model(out))
    a, b = outs
    assert (a.weights == b.weights).all() and a.labels == b.labels


def test_learn_cli_train_on_reviewed_records(runner, tmp_path):
    out = tmp_path / "rec.npz"
    r = runner.invoke(main, ["train", str(RECORDS), "-o", str(out), "--holdout", "0"])
    assert r.exit_code == 0, r.output
    assert "read 5 labelled texts" in r.output  # the record reviewed as no event is skipped
    assert load_model(out).header["training_data"]["format"] == "records"


def test_learn_cli_train_with_test_file(runner, tmp_path):
    out = tmp_path / "m.npz"
    r = runner.invoke(main, ["train", str(ACLED), "-o", str(out), "--test", str(RECORDS)])
    assert r.exit_code == 0, r.output
    assert "measuring on 5 texts of" in r.output


def test_learn_cli_train_needs_two_event_types(runner, tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text(
        json.dumps({"text": "Gunmen killed a man.", "event_type": "Violence against civilians"})
        + "\n"
    )
    r = runner.invoke(main, ["train", str(one), "-o", str(tmp_path / "x.npz")])
    assert r.exit_code == 2
    assert "at least two different event types" in r.output


def test_learn_cli_train_unknown_file(runner, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    r = runner.invoke(main, ["train", str(odd), "-o", str(tmp_path / "x.npz")])
    assert r.exit_code == 2
    assert "cannot tell what this is" in r.output


def test_learn_cli_extract_with_model(runner, trained, tmp_path):
    out, _ = trained
    text = "On 3 May 2020, unidentified gunmen shot and killed a farmer near Khanaqin."
    r = runner.invoke(
        main, ["extract", "-", "--published", "2020-05-04", "--model", str(out)], input=text
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(ln) for ln in r.output.splitlines() if ln.strip()]
    assert rows and rows[0]["versions"]["classify"] == "classify.v1"
    assert rows[0]["event_type"] == "Violence against civilians"
    plain = runner.invoke(main, ["extract", "-", "--published", "2020-05-04"], input=text)
    assert "classify" not in plain.output


def test_learn_cli_corrupt_model_is_a_clear_error(runner, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"\x00garbage")
    r = runner.invoke(main, ["extract", "-", "--model", str(bad)], input="Gunmen killed a man.")
    assert r.exit_code == 2
    assert "is not a harmledger model" in r.output
    assert "Traceback" not in r.output


def test_learn_cli_eval_with_model(runner, trained, tmp_path):
    out, _ = trained
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "g1",
                "text": "On 3 May 2020, Iraqi security forces arrested a wanted suspect in Mosul.",
                "published": "2020-05-04",
                "expected": {"event_type": "Strategic developments", "sub_event_type": "Arrests"},
            }
        )
        + "\n"
    )
    r = runner.invoke(main, ["eval", str(gold), "--model", str(out), "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["fields"]["event_type"]["total"] == 1
    missing = runner.invoke(main, ["eval", str(gold), "--model", str(tmp_path / "none.npz")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
