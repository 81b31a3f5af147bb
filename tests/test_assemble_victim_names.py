"""Victims' names as reports give them: after the word for who they were, after "the
arrest of", before an apposition saying who they were, before what was done to them; not a
place's, an organisation's or a date's capitalised words, and not the doer's."""

from __future__ import annotations

import harmledger


def names(text: str, published: str) -> set[str]:
    return {
        n.text
        for i in harmledger.extract(text, published=published)
        if i.victims is not None
        for n in i.victims.names
    }


REPORT = (
    "Lawyer detained in Addis Ababa\n\n"
    "ADDIS ABABA, 12 May 2021 - Daniel Bekele, a human rights lawyer, was detained by police "
    "in Addis Ababa on Tuesday, his family said.\n\n"
    "In Guangzhou, the writer Wei Lan and the activist Su Changlan were detained last week; "
    "Liu Fang, 34, a blogger, was detained with them. Rights groups condemned the arrest of "
    "activist Chen Xi on Friday.\n\n"
    "Last November the Oromia Regional State was attacked by gunmen, who killed two farmers. "
    "President Abiy Ahmed condemned the killings."
)


def test_names_before_their_apposition_or_after_the_arrest_of_are_read() -> None:
    found = names(REPORT, "2021-05-12")
    assert {"Daniel Bekele", "Su Changlan", "Liu Fang", "Chen Xi"} <= found


def test_dates_places_organisations_and_officials_are_no_victims_names() -> None:
    found = names(REPORT, "2021-05-12")
    assert not any(
        w in n for n in found for w in ("November", "Oromia", "Regional State", "Abiy", "Addis")
    )


def test_a_victims_name_is_protected_by_default() -> None:
    named = [
        n
        for i in harmledger.extract(REPORT, published="2021-05-12")
        if i.victims is not None
        for n in i.victims.names
    ]
    assert named and all(n.protected for n in named)
