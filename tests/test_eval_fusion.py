"""`harmledger eval --fusion`: pairwise precision/recall of merging on labelled reports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from harmledger.cli import main
from harmledger.eval.fusion import Pairs, evaluate_fusion, read_labelled

LABELLED = Path(__file__).parent / "fixtures" / "fusion" / "labelled.jsonl"


def test_eval_fusion_pairs_arithmetic() -> None:
    p = Pairs(tp=8, fp=2, fn=8)
    assert p.precision == 0.8
    assert p.recall == 0.5
    assert round(p.f1, 4) == round(2 * 0.8 * 0.5 / 1.3, 4)
    assert Pairs().f1 == 1.0  # nothing to merge and nothing merged


def test_eval_fusion_reads_labels_and_metadata() -> None:
    read = list(read_labelled(LABELLED, format="fusion"))
    assert [label for _, label in read] == ["market", "market", "market", "patrol", "protest"]
    doc, _ = read[1]
    assert doc.meta.publisher == "Nineveh Today"


def test_eval_fusion_scores_the_three_reports_of_one_bombing() -> None:
    report = evaluate_fusion(LABELLED, format="fusion")
    # 3 reports of the market bombing = 3 pairs; the patrol and the protest stay apart
    for pairs in (report.arrival, report.whole):
        assert (pairs.tp, pairs.fp, pairs.fn) == (3, 0, 0)
        assert pairs.f1 == 1.0
    assert report.documents == 5
    assert report.events == 3
    assert report.wrong_merges == report.missed_merges == []


def test_eval_fusion_cli_prints_both_ways_and_json() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["eval", str(LABELLED), "--fusion"])
    assert result.exit_code == 0, result.output
    assert "as they arrive (run)" in result.output
    assert "all at once (fuse)" in result.output
    result = runner.invoke(main, ["eval", str(LABELLED), "--fusion", "--json"])
    data = json.loads(result.output)
    assert data["arrival"]["f1"] == 1.0
    assert data["format"] == "fusion"


def test_eval_fusion_refuses_acled_files(tmp_path: Path) -> None:
    csv = tmp_path / "acled.csv"
    csv.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,notes,fatalities\n"
        "IRQ1,2019-05-30,Battles,Armed clash,On 30 May 2019 IS attacked a checkpoint.,0\n"
    )
    result = CliRunner().invoke(main, ["eval", str(csv), "--fusion", "--format", "acled"])
    assert result.exit_code == 2
    assert "--fusion reads" in result.output


def test_eval_fusion_names_a_line_without_its_label(tmp_path: Path) -> None:
    bad = tmp_path / "reports.jsonl"
    bad.write_text(
        '{"id": "a", "event": "e1", "text": "Gunmen killed two farmers."}\n'
        '{"id": "b", "text": "Gunmen killed two farmers."}\n'
    )
    result = CliRunner().invoke(main, ["eval", str(bad), "--fusion"])
    assert result.exit_code == 2
    assert "reports.jsonl:2" in result.output and "'event'" in result.output
