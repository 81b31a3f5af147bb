import pytest

from harmledger.pipeline.quotes import find_quotes


def quotes(text: str) -> list[tuple[str, str | None, str]]:
    return [(text[q.start : q.end], q.speaker, q.identity) for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "speaker", "identity"),
    [
        (
            "“They took everyone over fifteen,” one survivor told the investigators.",
            "one survivor",
            "anonymous",
        ),
        (
            "“We heard shots all night long,” said another man, who fled in June.",
            "another man",
            "anonymous",
        ),
        (
            "“The militia took our men away,” said Salma, whose real name was withheld to protect her.",
            "Salma",
            "pseudonym",
        ),
        (
            "“We buried them in the orchard behind the house,” said Ahmed Khalaf, a farmer.",
            "Ahmed Khalaf",
            "named",
        ),
        (
            "Fatima (not her real name) said: “My son was taken at the checkpoint.”",
            "Fatima",
            "pseudonym",
        ),
        (
            "A resident who asked not to be named said: “The gunmen came at night for my brother.”",
            "A resident",
            "anonymous",
        ),
        (
            "“The planes came back twice that morning,” a local doctor told Reuters.",
            "a local doctor",
            "anonymous",
        ),
        ('"Nobody came to help the wounded people," said Omar Hadi.', "Omar Hadi", "named"),
    ],
)
def test_quotes_speaker_and_identity(text, speaker, identity):
    (found,) = quotes(text)
    assert found[1:] == (speaker, identity)


def test_quotes_continuation_keeps_the_speaker():
    text = (
        "“They hit us with cables and pipes,” one survivor told Amnesty. "
        "“I saw two people die in front of my eyes.”"
    )
    found = quotes(text)
    assert [q[1:] for q in found] == [("one survivor", "anonymous")] * 2


def test_quotes_scare_quotes_are_skipped():
    assert quotes("All men of “fighting age,” typically 15 to 65, were screened.") == []


def test_quotes_unattributed_testimony_is_unknown():
    text = (
        "The report quotes a statement. “We were held for forty days without charge in a school.”"
    )
    assert quotes(text)[0][1:] == (None, "unknown")


def test_quotes_offsets_cover_the_inner_words():
    text = "“Leave now or die,” a fighter shouted."
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == "Leave now or die,"
    assert text[q.speaker_start : q.speaker_end] == "a fighter"


# --- issue 12: speakers as coders read them


def test_quotes_a_withheld_name_is_anonymous() -> None:
    text = (
        'The boy, whose name is being withheld for his safety, said: "They beat us every '
        'night with electric cables."'
    )
    (q,) = find_quotes(text)
    assert (q.speaker, q.identity) == ("The boy", "anonymous")


def test_quotes_a_pseudonym_in_brackets_after_the_quote() -> None:
    text = (
        '"They lined up the men by the church wall and shot them," said Tesfay (not his real '
        "name), who lost two sons."
    )
    (q,) = find_quotes(text)
    assert (q.speaker, q.identity) == ("Tesfay", "pseudonym")


def test_quotes_a_survivor_is_not_the_official_quoted_before() -> None:
    text = (
        'District governor Samuel Otieno told reporters: "The situation is under control '
        'now." A survivor described the night of the raid. "They came after midnight and '
        'burned every house," she said.'
    )
    official, survivor = find_quotes(text)
    assert (official.identity, survivor.speaker, survivor.identity) == (
        "named",
        "A survivor",
        "anonymous",
    )


def test_quotes_a_pronoun_with_no_one_introduced_keeps_the_speaker() -> None:
    text = (
        'Police chief Omar Sharif said: "Our officers returned fire." "Two of them were '
        'wounded in the exchange," he said.'
    )
    first, second = find_quotes(text)
    assert second.speaker == first.speaker
