import pytest

from harmledger.pipeline.violations import find_triggers, load_lexicon, trigger_class


def triggers(text: str) -> list[tuple[str, str | None, str | None, bool]]:
    return [
        (text[s:e], v.event_type, v.sub_event_type, v.negated) for s, e, v in find_triggers(text)
    ]


VAC = "Violence against civilians"
ERV = "Explosions/Remote violence"


@pytest.mark.parametrize(
    ("sentence", "phrase", "event_type", "sub_event_type"),
    [
        ("Twelve men were executed after surrendering.", "executed", VAC, "Attack"),
        ("They were lined up and shot.", "lined up and shot", VAC, "Attack"),
        (
            "Militants kidnapped two shepherds near Jalawla.",
            "kidnapped",
            VAC,
            "Abduction/forced disappearance",
        ),
        (
            "Seventy-three men are still missing.",
            "still missing",
            VAC,
            "Abduction/forced disappearance",
        ),
        ("The detainees were tortured with cables.", "tortured", VAC, "Attack"),
        ("Women were raped by the guards.", "raped", VAC, "Sexual violence"),
        ("A Turkish drone strike hit a car near Sinjar.", "drone strike", ERV, "Air/drone strike"),
        ("Russian warplanes bombed the market.", "warplanes bombed", ERV, "Air/drone strike"),
        ("An IED exploded on the road to Tarmiyah.", "IED", ERV, "Remote explosive/landmine/IED"),
        (
            "A suicide bomber blew himself up at a checkpoint.",
            "suicide bomber",
            ERV,
            "Suicide bomb",
        ),
        (
            "Artillery shelled the outskirts of the village.",
            "Artillery",
            ERV,
            "Shelling/artillery/missile attack",
        ),
        ("A hand grenade was thrown at the house.", "hand grenade", ERV, "Grenade"),
        (
            "Clashes broke out between the army and IS militants.",
            "Clashes",
            "Battles",
            "Armed clash",
        ),
        (
            "Hundreds of protesters gathered in Tahrir Square.",
            "protesters",
            "Protests",
            "Peaceful protest",
        ),
        (
            "Police fired tear gas at the crowd.",
            "tear gas",
            "Protests",
            "Protest with intervention",
        ),
        (
            "Rioters set fire to the party headquarters.",
            "Rioters",
            "Riots",
            "Violent demonstration",
        ),
        (
            "Police arrested four suspects in Hawija.",
            "arrested",
            "Strategic developments",
            "Arrests",
        ),
        (
            "The army defused 50 IEDs in the desert.",
            "defused",
            "Strategic developments",
            "Disrupted weapons use",
        ),
        (
            "Militias looted and burned houses in the village.",
            "looted",
            "Strategic developments",
            "Looting/property destruction",
        ),
    ],
)
def test_violations_maps_trigger_to_acled_types(sentence, phrase, event_type, sub_event_type):
    found = triggers(sentence)
    assert (phrase, event_type, sub_event_type, False) in found, found


@pytest.mark.parametrize(
    ("sentence", "phrase", "violation"),
    [
        ("They were executed.", "executed", "killing"),
        ("He was tortured in detention.", "tortured", "torture"),
        ("The men were abducted at night.", "abducted", "abduction"),
        (
            "Their whereabouts remain unknown.",
            "whereabouts remain unknown",
            "enforced disappearance",
        ),
        ("Police detained the journalist.", "detained", "arbitrary detention"),
        ("Thousands were forced to flee their homes.", "forced to flee", "forced displacement"),
        ("Soldiers demolished the houses.", "demolished", "destruction of property"),
        ("Two girls were sexually abused.", "sexually abused", "sexual violence"),
    ],
)
def test_violations_trigger_implies_violation(sentence, phrase, violation):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert violation in hits[phrase].violations


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("No one was killed in the attack.", "killed"),
        ("The army denied killing civilians.", "killing"),
        ("Nobody was injured.", "injured"),
    ],
)
def test_violations_negation_is_marked(sentence, phrase):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert hits[phrase].negated


def test_violations_negation_does_not_cross_a_clause():
    text = "There was no warning, and then they were killed."
    hits = {text[s:e]: v for s, e, v in find_triggers(text)}
    assert hits["killed"].negated is False


@pytest.mark.parametrize(
    "sentence",
    [
        "All men of fighting age were screened.",
        "The skills of the team were praised.",
        "Mr Ali is a skilled mediator.",
    ],
)
def test_violations_no_false_triggers(sentence):
    assert triggers(sentence) == []


def test_violations_torture_wins_over_generic_beating():
    text = "They beat me with a thick cable."
    (hit,) = [v for s, e, v in find_triggers(text) if text[s:e].startswith("beat")]
    assert "torture" in hit.violations
    assert trigger_class(hit) == "torture"


def test_violations_every_class_has_a_precedence():
    lex = load_lexicon()
    assert {e.cls for e in lex.entries} <= lex.precedence.keys()


@pytest.mark.parametrize(
    ("sentence", "phrase", "reference"),
    [
        ("They said this was payback for the Speicher massacre.", "massacre", True),
        ("The attack came in revenge for the killing of a tribal leader.", "killing", True),
        ("Protests began after the Nasiriyah massacre.", "massacre", True),
        ("Dozens went missing after raids by gunmen.", "raids", False),
        ("The massacre at the camp left 40 dead.", "massacre", False),
    ],
)
def test_violations_reference_to_a_past_event(sentence, phrase, reference):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert hits[phrase].reference is reference
    assert hits[phrase].live is not reference
