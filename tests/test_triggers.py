import pytest

from harmledger.pipeline.trigger_lexicon import is_background, is_grievance, load_lexicon
from harmledger.pipeline.triggers import find_triggers


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
        ("Activists say 200 were killed in a gas attack.", "gas attack", ERV, "Chemical weapon"),
        ("Forces launched a nerve gas attack on the suburbs.", "nerve gas", ERV, "Chemical weapon"),
        ("The opposition accused forces of gassing hundreds.", "gassing", ERV, "Chemical weapon"),
        ("Rebels used chemical arms against troops.", "used chemical arms", ERV, "Chemical weapon"),
        (
            "Jets struck the town with chemical weapons.",
            "with chemical weapons",
            ERV,
            "Chemical weapon",
        ),
        ("A chemical weapons attack killed 80.", "chemical weapons attack", ERV, "Chemical weapon"),
        (
            "Inspectors confirmed the use of chemical weapons in the town.",
            "use of chemical weapons",
            ERV,
            "Chemical weapon",
        ),
    ],
)
def test_triggers_maps_trigger_to_acled_types(sentence, phrase, event_type, sub_event_type):
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
        ("The events claimed the lives of nine citizens.", "claimed the lives of", "killing"),
        ("The blast claimed 12 lives.", "claimed 12 lives", "killing"),
    ],
)
def test_triggers_trigger_implies_violation(sentence, phrase, violation):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert violation in hits[phrase].violations


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Authorities forcibly disappeared the blogger in May.", "forcibly disappeared"),
        ("The group documented enforced disappearances of activists.", "enforced disappearances"),
        ("Families of victims of forced disappearance marched.", "forced disappearance"),
    ],
)
def test_triggers_a_disappearance_by_force_is_no_kidnapping(sentence, phrase):
    # the rights term names the violation itself: an enforced disappearance, not an abduction
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert hits[phrase].violations == ("enforced disappearance",)
    assert hits[phrase].sub_event_type == "Abduction/forced disappearance"


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("No one was killed in the attack.", "killed"),
        ("The army denied killing civilians.", "killing"),
        ("Nobody was injured.", "injured"),
        # what is proposed, authorised or averted has not happened
        ("Obama asked Congress to approve air strikes.", "air strikes"),
        ("The move could avert U.S. air strikes on Damascus.", "air strikes"),
        ("Parliament authorised air strikes on the group.", "air strikes"),
        ("Residents live under the threat of shelling.", "shelling"),
    ],
)
def test_triggers_negation_is_marked(sentence, phrase):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert hits[phrase].negated


def test_triggers_negation_does_not_cross_a_clause():
    text = "There was no warning, and then they were killed."
    hits = {text[s:e]: v for s, e, v in find_triggers(text)}
    assert hits["killed"].negated is False


@pytest.mark.parametrize(
    "sentence",
    [
        "All men of fighting age were screened.",
        "The skills of the team were praised.",
        "Mr Ali is a skilled mediator.",
        # who deal with chemical weapons are no attack with them
        "A team of chemical weapons experts arrived three days ago.",
        "Syria joined the chemical weapons convention.",
        "Chemical weapons inspectors visited the site.",
        # an arsenal is no attack: only its use is
        "France seeks a U.N. resolution on Syria's chemical arms.",
        "Russia proposed that Syria hand over its chemical weapons stocks.",
        "The plan to eliminate Syria's chemical weapons is on track.",
        "Talks with Syria on chemical weapons resumed in Geneva.",
    ],
)
def test_triggers_no_false_triggers(sentence):
    assert triggers(sentence) == []


def test_triggers_torture_wins_over_generic_beating():
    text = "They beat me with a thick cable."
    (hit,) = [v for s, e, v in find_triggers(text) if text[s:e].startswith("beat")]
    assert "torture" in hit.violations
    assert hit.cls == "torture"


def test_triggers_every_class_has_a_precedence():
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
def test_triggers_reference_to_a_past_event(sentence, phrase, reference):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert hits[phrase].reference is reference
    assert hits[phrase].live is not reference


@pytest.mark.parametrize(
    ("sentence", "phrase", "cls"),
    [
        # a coder's label opening a note is a trigger of its own
        (
            "Property destruction: On 3 May 2020, gunmen burned a shop.",
            "Property destruction",
            "label",
        ),
        ("Weapons seizure: On 3 May 2020, the army seized rifles.", "Weapons seizure", "label"),
        ("Arrests: On 3 May 2020, police arrested two men.", "Arrests", "label"),
        # the same events in plain wire words
        ("Demonstrators burned tyres outside the council building.", "burned tyres", "riot"),
        ("Hundreds took to the streets demanding jobs.", "took to the streets", "protest_weak"),
        ("A landmine left over from past wars exploded.", "left over from past wars", "remnant"),
        (
            "The army seized a large quantity of weapons in a cave.",
            "seized a large quantity of weapons",
            "disrupted",
        ),
        ("Five militants died in an accidental detonation.", "accidental detonation", "disrupted"),
        ("A mass grave was found near Sinjar.", "mass grave", "grave"),
        ("Gunmen set fire to wheat fields near Dibis.", "set fire to wheat", "looting"),
        ("A bomb planted by militants killed two soldiers.", "bomb", "ied"),
        ("PKK militants carried out a remote explosive attack.", "remote explosive attack", "ied"),
        ("Turkish forces raided the area by air.", "raided the area by air", "air"),
        (
            "Police thwarted an infiltration attempt by IS.",
            "thwarted an infiltration attempt",
            "battle",
        ),
        ("A tribal conflict broke out in Qurna.", "tribal conflict", "battle"),
        ("Army units were deployed in Sinjar.", "deployed", "change"),
    ],
)
def test_triggers_trigger_classes(sentence, phrase, cls):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert phrase in hits, hits
    assert hits[phrase].cls == cls


@pytest.mark.parametrize(
    "sentence",
    [
        "Riot police were deployed around the square.",  # the police, not a riot
        "A label: nothing happened here.",  # only the coder's own labels count
    ],
)
def test_triggers_not_a_riot_or_label(sentence):
    classes = {v.cls for s, e, v in find_triggers(sentence)}
    assert not classes & {"riot", "label"}


def test_triggers_label_only_at_the_start_of_a_line():
    text = "Police said arrests: none were made."
    assert all(v.cls != "label" for s, e, v in find_triggers(text))


@pytest.mark.parametrize(
    ("sentence", "word", "grievance"),
    [
        (
            "Students protested, demanding justice for the killing of demonstrators.",
            "killing",
            True,
        ),
        ("Protesters denounced the burning of their tents.", "burning", True),
        ("Crowds protested the US attack on the bases.", "attack", True),
        ("Security forces attacked the protesters.", "attacked", False),
        ("Gunmen killed two protesters.", "killed", False),
    ],
)
def test_triggers_grievance_of_a_protest(sentence, word, grievance):
    assert is_grievance(sentence, sentence.index(word)) is grievance


@pytest.mark.parametrize(
    ("sentence", "word", "background"),
    [
        ("An activist who took part in the protests was shot.", "protests", True),
        ("A doctor was kidnapped on her way home from the demonstrations.", "demonstrations", True),
        ("Thousands joined the protests in Basra.", "protests", False),
    ],
)
def test_triggers_background_of_a_victim(sentence, word, background):
    assert is_background(sentence, sentence.index(word)) is background


@pytest.mark.parametrize(
    ("sentence", "phrase", "actor"),
    [
        ("Dozens protested in Kut.", "protested", "Protesters"),
        ("Rioters stormed the building.", "Rioters", "Rioters"),
        ("Tribal clashes left two dead.", "Tribal clashes", "Unidentified Tribal Militia"),
        ("An airstrike hit the village.", "airstrike", "Unidentified Military Forces"),
        ("An IED exploded.", "IED", None),  # who planted it is decided in assembly
    ],
)
def test_triggers_implied_actor(sentence, phrase, actor):
    hits = {sentence[s:e]: v for s, e, v in find_triggers(sentence)}
    assert hits[phrase].actor == actor


@pytest.mark.parametrize(
    ("text", "live"),
    [
        # a series of past events told in passing is no event here
        (
            "Islamic State, which has claimed several bombings in Diyala since June, denied it.",
            False,
        ),
        ("The group has carried out dozens of attacks on checkpoints this year.", False),
        ("Militants have mounted a series of ambushes on the road since March.", False),
        # several events that happened now are events
        ("A series of air strikes hit Idlib overnight.", True),
        ("Several bombings hit Baghdad on Tuesday.", True),
    ],
)
def test_triggers_series_of_past_events_is_a_reference(text, live):
    (first, *_) = find_triggers(text)
    assert first[2].live is live


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        # state media's military strikes are attacks from afar, not labour strikes
        (
            "Army units carried out concentrated strikes against the positions of Jabhat "
            "al-Nusra terrorists in Saraqeb.",
            "shelling",
        ),
        ("The army launched strikes on terrorist positions near Idlib.", "shelling"),
        ("Workers launched strikes on Monday over unpaid wages.", None),
        ("The union called strikes against the new law.", None),
    ],
)
def test_triggers_military_strikes_on_positions(text, lemma):
    found = [v.lemma for _, _, v in find_triggers(text)]
    assert (found[0] if found else None) == lemma


@pytest.mark.parametrize(
    "sentence",
    [
        # an illness, a camera, a title and a hoax: no one held or killed
        "Officials said most of the workers died of cardiac arrest in their sleep.",
        "The beating of the activist was captured in part on a viral video.",
        "Soldiers were captured on CCTV footage outside the office.",
        "Police said the businesswoman faked her own death to escape her creditors.",
        "The society published Is There Life After Death? in 1932.",
        "The Senate killed the bill on Tuesday.",
        "Opposition leaders killed off the reform in March.",
    ],
)
def test_triggers_words_that_tell_no_violation(sentence):
    violations = {v for _, _, t in find_triggers(sentence) if not t.negated for v in t.violations}
    assert not violations & {"arbitrary detention", "killing"}


def test_triggers_an_arrest_and_a_capture_are_still_detentions():
    for sentence in (
        "Police arrested the activist in Cairo on Monday.",
        "Soldiers captured two farmers in the village.",
        "She was held under house arrest for a week.",
    ):
        violations = {v for _, _, t in find_triggers(sentence) for v in t.violations}
        assert "arbitrary detention" in violations, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The blogger has been held incommunicado since his arrest on 3 May, his wife said.",
        "Imprisoned journalist's whereabouts unknown.",
        "The reporter's whereabouts are still unknown, the union said.",
        "The war photographer has been missing since 13 March, colleagues said.",
        "Relatives say the organiser had gone missing after the rally.",
        "The alliance documented 19 involuntary disappearances of farmers last year.",
    ],
)
def test_triggers_the_words_coders_record_as_a_disappearance(sentence):
    # HRDsAttack's coders record these as enforced disappearance
    violations = {v for _, _, t in find_triggers(sentence) if t.live for v in t.violations}
    assert "enforced disappearance" in violations


@pytest.mark.parametrize(
    ("sentence", "violation"),
    [
        ("The unrest is being whipped up by rival parties.", "torture"),
        ("The rebel advance was beaten back by the garrison.", "torture"),
        ("Butchers kill the dogs at the market before dawn.", "killing"),
        ("Herders said the drought is killing the livestock.", "killing"),
        ("The conspiracy theory refuses to die, the editor wrote.", "killing"),
        ("The protests began to die down in March.", "killing"),
        ("Officials said a plot to kidnap the governor was uncovered in June.", "abduction"),
        ("The intelligence service's kidnapping plot was foiled by the FBI.", "abduction"),
        ("He invoked the prohibition of torture in the European Convention.", "torture"),
        ("The kingdom abolishes flogging as a form of punishment.", "torture"),
        ("The trade pact is meant to arrest a deteriorating rights record.", "arbitrary detention"),
    ],
)
def test_triggers_figures_of_speech_and_plots_tell_no_violation(sentence, violation):
    violations = {v for _, _, t in find_triggers(sentence) if t.live for v in t.violations}
    assert violation not in violations


def test_triggers_killing_a_man_named_by_his_animals_is_a_killing():
    # a "goat thief", a "dog breeder": people, not the animals that name them
    for sentence in (
        "On 27 March 2022, a crowd killed a goat thief by burning in the village.",
        "Bandits killed a dog breeder in his home on Sunday.",
    ):
        violations = {v for _, _, t in find_triggers(sentence) if t.live for v in t.violations}
        assert "killing" in violations, sentence
