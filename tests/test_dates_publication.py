"""Dates for every incident: a report that names no day dates its event from the publication
date as the week up to it (ACLED's precision 2); datelines and the day of a statement give
the publication or telling date, not the event's."""

import pytest

import harmledger
from harmledger.pipeline.datelines import find_dateline


def main(text: str, published: str | None = None) -> dict:
    found = [i.to_contract() for i in harmledger.extract(text, published=published)]
    return max(found, key=lambda i: i["confidence"])


def test_dates_an_undated_report_is_dated_from_its_publication() -> None:
    inc = main("Gunmen killed three villagers and burned their houses near Kajiado.", "2023-11-10")
    assert inc["date"]["start"] == "2023-11-04"
    assert inc["date"]["end"] == "2023-11-10"
    assert inc["date"]["precision"] == 2


def test_dates_no_publication_date_no_date() -> None:
    inc = main("Gunmen killed three villagers and burned their houses near Kajiado.")
    assert inc["date"] is None


def test_dates_a_stated_day_still_wins() -> None:
    inc = main("On 3 November 2023, gunmen killed three villagers near Kajiado.", "2023-11-10")
    assert (inc["date"]["start"], inc["date"]["precision"]) == ("2023-11-03", 1)


def test_dates_the_dateline_day_is_the_publication_not_the_event() -> None:
    text = (
        "GENEVA (9 November 2023) - UN experts today condemned the killing of three "
        "journalists in an air strike in southern Lebanon."
    )
    inc = main(text)  # no --published: the dateline gives it
    assert inc["date"]["end"] == "2023-11-09" and inc["date"]["precision"] == 2
    assert inc["date"]["start"] == "2023-11-03"
    assert inc["date"]["text"] == "9 November 2023"  # the words the date comes from


def test_dates_a_wire_dateline_date_is_not_the_event_date() -> None:
    text = "BAGHDAD, May 19, 2020 (Wire) - Gunmen shot dead two farmers in Tarmiyah on Sunday."
    inc = main(text, "2020-05-19")
    assert inc["date"]["start"] == "2020-05-17"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # the day of a news flash's telling: that day or the day before
        (
            "Police on Monday said gunmen killed two farmers in Tarmiyah.",
            "2020-05-17",
            "2020-05-18",
        ),
        # a condemnation may come days later: the publication week
        (
            "Rights groups on Monday condemned the killing of two farmers in Tarmiyah.",
            "2020-05-14",
            "2020-05-20",
        ),
        # the date opening an ACLED note is the event's, whoever is said to report it
        (
            "On 5 May 2020, the army said it killed three militants in Tarmiyah.",
            "2020-05-05",
            "2020-05-05",
        ),
    ],
)
def test_dates_the_day_of_a_statement(text: str, start: str, end: str) -> None:
    inc = main(text, "2020-05-20")
    assert (inc["date"]["start"], inc["date"]["end"]) == (start, end)


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("KYIV (Reuters) - Russian missiles struck the city.", "KYIV (Reuters)"),
        ("(Kyiv Wire) Russian shelling killed two women.", "(Kyiv Wire)"),
        ("GENEVA (9 November 2023) - UN experts today condemned", "GENEVA (9 November 2023)"),
        ("MOGADISHU, Somalia — Al-Shabaab fighters attacked", "MOGADISHU, Somalia"),
        ("BAGHDAD, Oct. 17, 2016 (AFP) - A car bomb", "BAGHDAD, Oct. 17, 2016 (AFP)"),
        ("Car bomb kills six\nLASHKAR GAH (Pajhwok): A car bomb", "LASHKAR GAH (Pajhwok)"),
        ("Mogadishu, Somalia (AFP) - A car bomb", "Mogadishu, Somalia (AFP)"),
        ("On 3 May 2020, IS militants killed two men in Tal Afar.", None),
        ("Gunmen killed three - police said.", None),
        ("Militants (suspected IS) - killed two.", None),
        ("Change to armed group: As reported on 1 March 2020, soldiers defected.", None),
    ],
)
def test_dates_datelines_are_found(text: str, dateline: str | None) -> None:
    span = find_dateline(text)
    assert (None if span is None else text[span.start : span.end]) == dateline
