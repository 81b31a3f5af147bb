"""Tests for the actors stage: alias resolution, spans, qualifiers, document-level rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger import resources
from harmledger.config import Settings
from harmledger.errors import ResourceError
from harmledger.model import ActorValue, Annotated, Document
from harmledger.pipeline import actors as actors_mod
from harmledger.pipeline.actor_names import acled_name, actor_value
from harmledger.pipeline.actors import ActorTagger, alias_keys, find_actors


def by_text(text: str, **kw: object) -> dict[str, ActorValue]:
    return {text[s:e]: v for s, e, v in find_actors(text, **kw)}  # type: ignore[arg-type]


# (sentence, actor phrase exactly as tagged, canonical name, expected fields)
CASES: list[tuple[str, str, str, dict[str, object]]] = [
    # --- Islamic State
    ("On 15 May 2020, IS militants shot and killed a Kurdish resident near Khanaqin.",
     "IS militants", "Islamic State", {"category": "Rebel Groups", "country": None}),
    ("On 15 May 2020, IS militants shot and killed a Kurdish resident near Khanaqin.",
     "a Kurdish resident", "Civilians", {"category": "Civilians", "country": None}),
    ("ISIS fighters executed three shepherds in the desert.", "ISIS fighters", "Islamic State", {}),
    ("An ISIL cell attacked a checkpoint.", "ISIL cell", "Islamic State", {}),
    ("Daesh claimed the bombing.", "Daesh", "Islamic State", {}),
    ("Da'esh claimed the bombing.", "Da'esh", "Islamic State", {}),
    ("Civilians were fleeing the Islamic State.", "Islamic State", "Islamic State", {}),
    ("Fighters of the Islamic State of Iraq and the Levant stormed the village.",
     "Fighters of the Islamic State of Iraq and the Levant", "Islamic State", {}),
    ("Jihadists of the Islamic State executed a farmer.",
     "Jihadists of the Islamic State", "Islamic State", {}),
    ("The Islamic State of Iraq and Syria took the town.",
     "Islamic State of Iraq and Syria", "Islamic State", {}),
    # --- Popular Mobilization Forces
    ("Iraq’s Shia Popular Mobilization Units (PMUs) tortured Sunni Muslims.",
     "Iraq’s Shia Popular Mobilization Units", "Popular Mobilization Forces",
     {"category": "State Forces", "country": "Iraq"}),
    ("Iraq’s Shia Popular Mobilization Units (PMUs) tortured Sunni Muslims.",
     "Sunni Muslims", "Civilians", {}),
    ("The PMF shelled the village.", "PMF", "Popular Mobilization Forces", {}),
    ("The Iranian-backed PMUs often target Sunnis.", "Iranian-backed PMUs",
     "Popular Mobilization Forces", {"backed_by": "Iran"}),
    ("Fighters from al-Hashd al-Shaabi arrested two men.", "al-Hashd al-Shaabi",
     "Popular Mobilization Forces", {}),
    ("Hashd al-Sha'bi units deployed to Sinjar.", "Hashd al-Sha'bi units",
     "Popular Mobilization Forces", {}),
    ("The Popular Mobilisation Units entered the town.", "Popular Mobilisation Units",
     "Popular Mobilization Forces", {}),
    ("Shia militias burned houses in Muqdadiyah.", "Shia militias",
     "Popular Mobilization Forces", {}),
    ("Members of the PMF abducted two worshippers.", "Members of the PMF",
     "Popular Mobilization Forces", {}),
    ("Members of the PMF abducted two worshippers.", "worshippers", "Civilians", {}),
    # --- Iraqi state forces
    ("The ISF screened all men of fighting age.", "ISF", "Military Forces of Iraq",
     {"category": "State Forces", "country": "Iraq"}),
    ("Iraqi Security Forces raided the camp.", "Iraqi Security Forces",
     "Military Forces of Iraq", {}),
    ("The Iraqi army shelled the orchards.", "Iraqi army", "Military Forces of Iraq", {}),
    ("Iraqi troops arrested a shepherd.", "Iraqi troops", "Military Forces of Iraq", {}),
    ("The Counter-Terrorism Service killed two suspects.", "Counter-Terrorism Service",
     "Counter-Terrorism Service", {"category": "State Forces", "country": "Iraq"}),
    ("The Golden Division advanced on Mosul.", "Golden Division", "Counter-Terrorism Service", {}),
    ("Iraq's army responded with artillery.", "Iraq's army", "Military Forces of Iraq", {}),
    ("As reported, the Iraqi airforce killed 14 IS militants.", "the Iraqi airforce",
     "Military Forces of Iraq", {}),
    ("The federal police detained the men.", "federal police", "Police Forces of Iraq",
     {"country": "Iraq"}),
    ("Iraqi police found a body.", "Iraqi police", "Police Forces of Iraq", {}),
    # a police sub-unit, like the Counter-Terrorism Service of the army
    ("The Rapid Reaction Force raided the farm.", "Rapid Reaction Force",
     "Rapid Reaction Force", {"category": "State Forces", "country": "Iraq"}),
    ("YJA STAR militants attacked a Turkish outpost.", "YJA STAR militants",
     "PKK-YJA STAR", {"category": "Rebel Groups"}),
    ("The Kurdish Peshmerga repelled the attack.", "Kurdish Peshmerga", "Peshmerga",
     {"country": "Iraq", "category": "State Forces"}),
    ("The Iraqi government denied the report.", "Iraqi government", "Government of Iraq", {}),
    # --- Syria
    ("US-backed SDF fighters detained dozens of men in Deir ez-Zor.",
     "US-backed SDF fighters", "Syrian Democratic Forces",
     {"backed_by": "United States", "country": "Syria"}),
    ("The Syrian Democratic Forces took Baghouz.", "Syrian Democratic Forces",
     "Syrian Democratic Forces", {}),
    ("YPG fighters shelled Tal Rifaat.", "YPG fighters", "People's Protection Units", {}),
    ("The People’s Protection Units withdrew.", "People’s Protection Units",
     "People's Protection Units", {}),
    ("Regime forces shelled Kafr Nabl.", "Regime forces", "Military Forces of Syria",
     {"country": "Syria"}),
    ("The SAA shelled Maarat al-Numan.", "SAA", "Military Forces of Syria", {}),
    ("Syrian troops entered Douma.", "Syrian troops", "Military Forces of Syria", {}),
    ("Hay’at Tahrir al-Sham shelled the village.", "Hay’at Tahrir al-Sham",
     "Hayat Tahrir al-Sham", {"category": "Rebel Groups"}),
    ("Jabhat al-Nusra fighters kidnapped a priest.", "Jabhat al-Nusra fighters",
     "Hayat Tahrir al-Sham", {}),
    ("The Nusra Front stormed the town.", "Nusra Front", "Hayat Tahrir al-Sham", {}),
    ("The Free Syrian Army shelled the town.", "Free Syrian Army", "Free Syrian Army", {}),
    ("Turkish-backed factions looted houses in Afrin.", "Turkish-backed factions",
     "Syrian National Army", {"backed_by": "Turkey"}),
    ("The Syrian National Army arrested a Kurdish woman.", "Syrian National Army",
     "Syrian National Army", {}),
    ("The Syrian National Army arrested a Kurdish woman.", "a Kurdish woman", "Civilians", {}),
    ("Ahrar al-Sham fighters clashed with HTS.", "Ahrar al-Sham fighters", "Ahrar al-Sham", {}),
    ("Hurras al-Din claimed the attack.", "Hurras al-Din", "Hurras al-Din", {}),
    # --- foreign forces
    ("Turkish warplanes bombed PKK positions near Amadiya.", "Turkish warplanes",
     "Military Forces of Turkey", {"country": "Turkey"}),
    ("Turkish warplanes bombed PKK positions near Amadiya.", "PKK positions",
     "Kurdistan Workers Party", {}),
    ("A Turkish drone struck a car near Sinjar.", "Turkish drone",
     "Military Forces of Turkey", {}),
    ("On Feb 26, a Turkish airstrike killed one civilian.", "a Turkish airstrike",
     "Military Forces of Turkey", {}),
    ("Russian jets struck a market in Idlib.", "Russian jets", "Military Forces of Russia", {}),
    ("Russian forces patrolled the M4 highway.", "Russian forces", "Military Forces of Russia", {}),
    ("Rockets landed near US forces at the base.", "US forces",
     "Military Forces of the United States", {"country": "United States"}),
    ("American troops left the base.", "American troops",
     "Military Forces of the United States", {}),
    ("Iranian artillery shelled the border villages.", "Iranian artillery",
     "Military Forces of Iran", {}),
    ("The Revolutionary Guards fired missiles at Koya.", "Revolutionary Guards",
     "Islamic Revolutionary Guard Corps", {"country": "Iran"}),
    ("The Qods Force armed the militias.", "Qods Force", "Qods Force", {"country": "Iran"}),
    ("Coalition warplanes struck the bridge.", "Coalition warplanes",
     "Global Coalition Against Daesh", {"category": "External/Other Forces"}),
    ("The US-led coalition denied killing civilians.", "US-led coalition",
     "Global Coalition Against Daesh", {}),
    ("The global coalition conducted airstrikes.", "global coalition",
     "Global Coalition Against Daesh", {}),
    # --- Iraqi militias by name
    ("Kata'ib Hizballah denied the rocket attack.", "Kata'ib Hizballah", "Kataib Hezbollah",
     {"category": "Political Militias", "country": "Iraq"}),
    ("Kataib Hezbollah fighters stormed the embassy.", "Kataib Hezbollah fighters",
     "Kataib Hezbollah", {}),
    ("Asa'ib Ahl al-Haq gunmen shot a protester.", "Asa'ib Ahl al-Haq gunmen",
     "Asaib Ahl al-Haq", {}),
    ("The Badr Organization controls the checkpoint.", "Badr Organization",
     "Badr Organization", {}),
    ("Kata'ib Sayyid al-Shuhada denied involvement.", "Kata'ib Sayyid al-Shuhada",
     "Kataib Sayyid al-Shuhada", {}),
    ("Harakat al-Nujaba threatened US troops.", "Harakat al-Nujaba", "Harakat al-Nujaba", {}),
    ("Saraya al-Salam deployed in Samarra.", "Saraya al-Salam", "Saraya al-Salam", {}),
    ("The Tribal Mobilization Forces repelled IS.", "Tribal Mobilization Forces",
     "Tribal Mobilization Forces", {}),
    ("The Sinjar Resistance Units clashed with the Peshmerga.", "Sinjar Resistance Units",
     "Sinjar Resistance Units", {}),
    ("YBS fighters blocked the road.", "YBS fighters", "Sinjar Resistance Units", {}),
    # --- unnamed perpetrators
    ("On 3 June 2020, unidentified gunmen kidnapped a shepherd in Tuz Khurmatu.",
     "unidentified gunmen", "Unidentified Armed Group", {"category": "Unidentified"}),
    ("Unknown gunmen shot dead a lawyer in Basra.", "Unknown gunmen",
     "Unidentified Armed Group", {}),
    ("Armed men stormed a house in Tarmiyah.", "Armed men", "Unidentified Armed Group", {}),
    ("Unknown assailants threw a grenade at a shop.", "Unknown assailants",
     "Unidentified Armed Group", {}),
    ("An unidentified armed group fired rockets at the airport.",
     "An unidentified armed group", "Unidentified Armed Group", {}),
    ("Militants attacked a checkpoint.", "Militants", "Unidentified Armed Group", {}),
    ("Warplanes struck the village at dawn.", "Warplanes", "Unidentified Military Forces",
     {"category": "Unidentified"}),
    ("Tribesmen clashed over land in Maysan.", "Tribesmen", "Unidentified Tribal Militia",
     {"category": "Identity Militias"}),
    # --- civilians, protesters, rioters
    ("Displaced people were turned away at the checkpoint.", "Displaced people", "Civilians", {}),
    ("The strike killed two children and a woman.", "a woman", "Civilians", {}),
    ("Villagers fled to Kirkuk.", "Villagers", "Civilians", {}),
    ("Approximately 4.2 million Iraqis were forced to flee.", "Iraqis", "Civilians",
     {"country": "Iraq"}),
    ("A Syrian shepherd was killed by a landmine.", "A Syrian shepherd", "Civilians",
     {"country": "Syria"}),
    ("Protesters were attacked in Nasiriyah.", "Protesters", "Protesters",
     {"category": "Protesters"}),
    ("Demonstrators in Baghdad were shot.", "Demonstrators", "Protesters", {}),
    ("Rioters set fire to the consulate.", "Rioters", "Rioters", {"category": "Rioters"}),
    # --- generic state forces take the country words around them
    ("Security forces fired tear gas.", "Security forces", "Military Forces",
     {"country": None, "category": "State Forces"}),
    ("Government forces shelled the town.", "Government forces", "Military Forces", {}),
    ("Police arrested the suspects.", "Police", "Police Forces", {"country": None}),
    ("Lebanese troops closed the border.", "Lebanese troops", "Military Forces of Lebanon",
     {"country": "Lebanon"}),
    ("Jordanian police arrested two men.", "Jordanian police", "Police Forces of Jordan", {}),
    ("The Turkish government denied it.", "The Turkish government", "Government of Turkey", {}),
    # --- reporters are tagged, with category Source
    ("Amnesty International documented the killings.", "Amnesty International",
     "Amnesty International", {"category": "Source"}),
    ("Human Rights Watch said the men were tortured.", "Human Rights Watch",
     "Human Rights Watch", {"category": "Source"}),
    ("HRW said the men were tortured.", "HRW", "Human Rights Watch", {"category": "Source"}),
    ("The UN said 40 people died.", "The UN", "United Nations", {"category": "Source"}),
    ("UN investigators said 40 people died.", "UN", "United Nations", {"category": "Source"}),
    ("The Syrian Observatory for Human Rights said 12 civilians died.",
     "Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights",
     {"category": "Source"}),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "phrase", "name", "fields"), CASES)
def test_actors_resolve_table(
    sentence: str, phrase: str, name: str, fields: dict[str, object]
) -> None:
    found = by_text(sentence)
    assert phrase in found, f"{phrase!r} not tagged; got {sorted(found)}"
    value = found[phrase]
    assert value.name == name
    for key, expected in fields.items():
        assert getattr(value, key) == expected, key


# --------------------------------------------------------------------------- case and boundaries


@pytest.mark.parametrize(
    "sentence",
    [
        "This is a report on the situation.",
        "THE WAR IS OVER, SAID THE HEADLINE.",
        "He told us that the is was unclear.",
        "The crisis displaced many.",  # "IS" inside words is not "IS"
        "The sdf column was seen.",  # acronyms match in upper case only
        "The hashd of the story.",  # a capitalised name must be capitalised
    ],
)
def test_actors_no_false_acronyms(sentence: str) -> None:
    names = {v.name for _, _, v in find_actors(sentence)}
    assert "Islamic State" not in names
    assert "Syrian Democratic Forces" not in names
    assert "Popular Mobilization Forces" not in names


def test_actors_plural_acronym() -> None:
    found = by_text("Two PMUs entered the town. The PMU's commander spoke.")
    assert found["PMUs"].name == "Popular Mobilization Forces"
    assert found["PMU's commander"].name == "Popular Mobilization Forces"


def test_actors_longest_match_wins() -> None:
    text = (
        "The Islamic State of Iraq and the Levant and Kataib Hezbollah were named; "
        "so was Hezbollah."
    )
    found = by_text(text)
    assert found["Islamic State of Iraq and the Levant"].name == "Islamic State"
    assert found["Kataib Hezbollah"].name == "Kataib Hezbollah"
    assert found["Hezbollah"].name == "Hezbollah"
    assert found["Hezbollah"].country == "Lebanon"


def test_actors_no_match_across_sentence_punctuation() -> None:
    found = by_text("They praised the Islamic. State media later denied it.")
    assert "Islamic State" not in {v.name for v in found.values()}


def test_actors_spans_are_exact_offsets() -> None:
    text = "  Iraq’s Shia Popular Mobilization Units (PMUs) tortured Sunni Muslims."
    for s, e, v in find_actors(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
        assert isinstance(v, ActorValue)


def test_actors_empty_and_blank() -> None:
    assert find_actors("") == []
    assert find_actors("   \n\t ") == []
    assert find_actors("No actors are named in this sentence about weather.") == []


# --------------------------------------------------------------------------- backing


@pytest.mark.parametrize(
    ("sentence", "phrase", "backer"),
    [
        ("Iranian-backed militias fired rockets.", "Iranian-backed militias", "Iran"),
        ("Iran-backed militias fired rockets.", "Iran-backed militias", "Iran"),
        ("Iraqi militias sponsored by Iran killed civilians.",
         "Iraqi militias sponsored by Iran", "Iran"),
        ("US-backed SDF fighters detained men.", "US-backed SDF fighters", "United States"),
        ("The U.S.-backed Syrian Democratic Forces advanced.",
         "U.S.-backed Syrian Democratic Forces", "United States"),
        ("Turkish-backed Syrian National Army fighters looted shops.",
         "Turkish-backed Syrian National Army fighters", "Turkey"),
        ("Gunmen backed by Turkey kidnapped a teacher.", "Gunmen backed by Turkey", "Turkey"),
    ],
)  # fmt: skip
def test_actors_backing(sentence: str, phrase: str, backer: str) -> None:
    found = by_text(sentence)
    assert found[phrase].backed_by == backer


# --------------------------------------------------------------------------- document-level rules


def test_actors_bare_militias_resolve_to_pmf_when_document_names_it() -> None:
    text = (
        "Iranian-Backed Militias Engage In Revenge Killings. The Popular Mobilization Units "
        "detained men. \u201cThe Hashd (militias) took our men away,\u201d said Salma."
    )
    found = by_text(text)
    assert found["Iranian-Backed Militias"].name == "Popular Mobilization Forces"
    assert found["Iranian-Backed Militias"].source == "coreference"
    assert found["Iranian-Backed Militias"].backed_by == "Iran"
    assert found["militias"].name == "Popular Mobilization Forces"
    assert found["Hashd"].source == "lexicon"


def test_actors_bare_militias_stay_unnamed_without_pmf() -> None:
    found = by_text("Militias burned houses in the village. A militia checkpoint was set up.")
    assert found["Militias"].name == "Unidentified Armed Group"
    assert found["Militias"].source == "lexicon"


def test_actors_foreign_militias_do_not_resolve_to_pmf() -> None:
    text = "The PMF held the border. Lebanese militias fired at the town."
    found = by_text(text)
    assert found["Lebanese militias"].name == "Unidentified Armed Group"
    assert found["Lebanese militias"].country == "Lebanon"


def test_actors_acronym_defined_in_text_for_known_actor() -> None:
    text = "The Syrian Observatory for Human Rights (SOHR) said 12 died. SOHR added that ..."
    spans = find_actors(text)
    uses = [(text[s:e], v) for s, e, v in spans if text[s:e] == "SOHR"]
    assert len(uses) == 2
    assert all(v.name == "Syrian Observatory for Human Rights" for _, v in uses)
    assert all(v.source == "defined-in-text" for _, v in uses)
    assert all(v.category == "Source" for _, v in uses)


def test_actors_acronym_defined_in_text_for_new_actor() -> None:
    text = (
        "The Ninawa Plains Protection Units (NPPU) stopped a car. Later, NPPU fighters "
        "detained the driver."
    )
    found = by_text(text)
    assert found["Ninawa Plains Protection Units"].name == "Ninawa Plains Protection Units"
    assert found["Ninawa Plains Protection Units"].source == "defined-in-text"
    assert found["NPPU fighters"].name == "Ninawa Plains Protection Units"
    assert found["NPPU fighters"].source == "defined-in-text"


def test_actors_acronym_definition_needs_an_organisation_name() -> None:
    # an improvised explosive device (IED) is not an actor; neither is a place
    text = "An improvised explosive device (IED) hit the Kurdistan Region of Iraq (KRI). The IED..."
    names = {v.name for _, _, v in find_actors(text)}
    assert "improvised explosive device" not in names
    assert "Kurdistan Region of Iraq" not in names


def test_actors_defined_acronym_overrides_lexicon_meaning() -> None:
    text = "The Kurdistan Health Foundation (KH) treated the wounded. KH said 4 died."
    found = by_text(text)
    assert found["KH"].name == "Kurdistan Health Foundation"
    assert found["KH"].category == "Source"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("In Gaza, Jaysh al-Islam claimed the attack. Palestinian officials in Gaza said so.",
         "Palestine"),
        ("In Douma, Syria, Jaysh al-Islam shelled Damascus. Syrian state media said so.", "Syria"),
    ],
)  # fmt: skip
def test_actors_shared_name_prefers_document_country(text: str, country: str) -> None:
    found = by_text(text)
    assert found["Jaysh al-Islam"].name == "Jaysh al-Islam"
    assert found["Jaysh al-Islam"].country == country


def test_actors_shared_name_country_hint() -> None:
    text = "The Asayish arrested two men."
    assert by_text(text, country="Syria")["Asayish"].country == "Syria"
    assert by_text(text, country="Iraq")["Asayish"].country == "Iraq"


# --------------------------------------------------------------------------- descriptions


def test_actors_uniform_description_seed() -> None:
    text = (
        "12 men and four boys were executed after turning themselves over to men dressed in "
        "military and federal police uniforms May 30."
    )
    found = by_text(text)
    phrase = "men dressed in military and federal police uniforms"
    assert phrase in found
    v = found[phrase]
    assert v.name == "Military Forces of Iraq"
    assert v.country == "Iraq"
    assert v.description == phrase
    # the words inside the description are not separate actors
    assert "federal police" not in found


def test_actors_uniform_description_without_country() -> None:
    found = by_text("Gunmen wearing military uniforms killed a taxi driver.")
    v = found["Gunmen wearing military uniforms"]
    assert v.name == "Military Forces"
    assert v.description == "Gunmen wearing military uniforms"
    assert acled_name(v, country="Iraq") == "Military Forces of Iraq"


def test_actors_uniform_description_named_group_wins() -> None:
    found = by_text("Men in PMF uniforms detained the family.")
    v = found["Men in PMF uniforms"]
    assert v.name == "Popular Mobilization Forces"


def test_actors_uniform_without_force_is_unidentified() -> None:
    found = by_text("Masked men in black uniforms abducted an activist.")
    (phrase,) = [p for p in found if "uniforms" in p]
    assert found[phrase].name == "Unidentified Armed Group"
    assert found[phrase].description == phrase


def test_actors_impostors_stay_unidentified() -> None:
    found = by_text("Men posing as police officers abducted a merchant.")
    v = found["Men posing as police officers"]
    assert v.name == "Unidentified Armed Group"
    assert v.description == "Men posing as police officers"


# --------------------------------------------------------------------------- ACLED names


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        (ActorValue("Civilians", "Civilians"), "Iraq", "Civilians (Iraq)"),
        (ActorValue("Civilians", "Civilians", "Syria"), "Iraq", "Civilians (Syria)"),
        (ActorValue("Civilians", "Civilians"), None, "Civilians"),
        (ActorValue("Islamic State", "Rebel Groups"), "Iraq", "Islamic State (Iraq)"),
        (ActorValue("Military Forces", "State Forces"), "Syria", "Military Forces of Syria"),
        (ActorValue("Unidentified Armed Group", "Unidentified"), "Iraq",
         "Unidentified Armed Group (Iraq)"),
        (ActorValue("Popular Mobilization Forces", "State Forces", "Iraq"), None,
         "Military Forces of Iraq Popular Mobilization Forces"),
        (ActorValue("Military Forces of the United States", "State Forces", "United States"),
         "Iraq", "Military Forces of the United States"),
        (ActorValue("Kurdistan Workers Party", "Rebel Groups"), "Iraq",
         "PKK: Kurdistan Workers Party"),
        (ActorValue("Some New Brigade", None, source="defined-in-text"), "Iraq",
         "Some New Brigade"),
    ],
)  # fmt: skip
def test_actors_acled_name(value: ActorValue, country: str | None, expected: str) -> None:
    assert acled_name(value, country=country) == expected


# --------------------------------------------------------------------------- the seed report


def test_actors_seed_report_aliases() -> None:
    text = (
        "Iraqi militias sponsored by Iran are engaging in revenge killings against innocent "
        "civilians fleeing the Islamic State.\n\nIraq’s Shia Popular Mobilization Units (PMUs) "
        "tortured, kidnapped and murdered Sunni Muslims, according to the Amnesty International "
        "report released Tuesday. The Iranian-backed PMUs often consider Sunnis who lived under "
        "ISIS control to be sympathizers. They wanted us to confess to being Daesh (ISIS). "
        "All men and boys are screened by the ISF. The PMUs, despite not being formally trained "
        "and recruited by the Iraqi military, were made a part of the ISF. Many of them are "
        "supported by the Qods Force, Iran’s paramilitary force."
    )
    found = by_text(text)
    pmf = "Popular Mobilization Forces"
    assert found["Iraqi militias sponsored by Iran"].name == pmf
    assert found["Iraq’s Shia Popular Mobilization Units"].name == pmf
    assert found["Iranian-backed PMUs"].name == pmf
    assert found["Iranian-backed PMUs"].source == "lexicon"
    assert found["PMUs"].source == "defined-in-text"
    assert found["ISF"].name == "Military Forces of Iraq"
    assert found["Iraqi military"].name == "Military Forces of Iraq"
    assert found["Daesh"].name == "Islamic State"
    assert found["Qods Force"].name == "Qods Force"
    assert found["Amnesty International"].category == "Source"
    assert found["Sunni Muslims"].name == "Civilians"


# --------------------------------------------------------------------------- the stage


def test_actors_stage_adds_mentions() -> None:
    text = "On 15 May 2020, IS militants shot and killed a Kurdish resident near Khanaqin."
    doc = Document.build(name="t", text=text, raw=text, reader="test.v1")
    tagger = ActorTagger(Settings())
    out = tagger(Annotated(document=doc))
    assert out.stages == ("actors.v5",)
    ms = out.of_kind("actor")
    assert [m.text for m in ms] == ["IS militants", "a Kurdish resident"]
    for m in ms:
        assert m.stage == "actors.v5"
        assert text[m.start : m.end] == m.text
    assert ActorTagger.assigns == ("mentions:actor",)


def test_actors_construction_does_no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(resources, "read_json", lambda name: calls.append(name))
    ActorTagger(Settings())
    assert calls == []


def test_actors_malformed_resource_raises_resource_error(monkeypatch: pytest.MonkeyPatch) -> None:
    actors_mod.load_lexicon.cache_clear()
    monkeypatch.setattr(resources, "read_json", lambda name: {"actors": [{"aliases": []}]})
    try:
        with pytest.raises(ResourceError, match=r"actors\.json"):
            find_actors("IS militants attacked.")
    finally:
        monkeypatch.undo()
        actors_mod.load_lexicon.cache_clear()
    assert find_actors("IS militants attacked.")[0][2].name == "Islamic State"


def test_actors_alias_keys_normalise_spelling() -> None:
    assert alias_keys("Kata'ib Hizballah") == alias_keys("Kataib Hizballah")
    assert alias_keys("Popular Mobilisation Units") == alias_keys("Popular Mobilization Units")
    assert alias_keys("Hay’at Tahrir ash-Sham") == alias_keys("Hayat Tahrir al-Sham")
    assert alias_keys("Türkiye") == ("turkiye",)


# --------------------------------------------------------------------------- properties

_VOCAB = (
    "IS ISIS is the PMF PMUs militias gunmen Iraqi Iran-backed police of Islamic State ( ) "
    "civilians a Kurdish resident uniforms men dressed in military SOHR Syrian Observatory "
    "for Human Rights , . ’s 's - backed by Turkey US forces"
)
_WORDS = st.sampled_from(_VOCAB.split(" "))


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.text(max_size=40))
def test_actors_spans_sorted_disjoint_and_in_bounds(words: list[str], noise: str) -> None:
    text = " ".join(words) + noise
    spans = find_actors(text)
    last_end = 0
    for s, e, v in spans:
        assert 0 <= s < e <= len(text)
        assert s >= last_end
        last_end = e
        assert v.name


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORDS, max_size=30), st.integers(min_value=1, max_value=5))
def test_actors_shift_invariant(words: list[str], pad: int) -> None:
    text = " ".join(words)
    shifted = find_actors(" " * pad + text)
    plain = find_actors(text)
    assert [(s - pad, e - pad, v) for s, e, v in shifted] == plain


@pytest.mark.parametrize(
    ("sentence", "phrase", "name", "country"),
    [
        # a generic force followed by "of <country>"
        (
            "The Military Forces of Turkey conducted airstrikes on Mount Qandil.",
            "The Military Forces of Turkey",
            "Military Forces of Turkey",
            "Turkey",
        ),
        (
            "Police forces of Iraq arrested two men.",
            "Police forces of Iraq",
            "Police Forces of Iraq",
            "Iraq",
        ),
        # units ACLED names on their own
        ("The CTS raided a hideout near Kirkuk.", "CTS", "Counter-Terrorism Service", "Iraq"),
        (
            "The Iraqi National Intelligence Service arrested a suspect.",
            "Iraqi National Intelligence Service",
            "Iraqi National Intelligence Service",
            "Iraq",
        ),
        # operational commands and unnamed attackers
        (
            "The Anbar Operations Command destroyed a tunnel.",
            "Operations Command",
            "Military Forces",
            None,
        ),
        (
            "The convoy was targeted by an unidentified group with an IED.",
            "an unidentified group",
            "Unidentified Armed Group",
            None,
        ),
        # a short acronym next to another acronym is not capitals text
        (
            "On 3 April 2020, a suspected IS IED exploded near Naft Khanah.",
            "IS",
            "Islamic State",
            None,
        ),
    ],
)
def test_actors_named_forces_and_units(
    sentence: str, phrase: str, name: str, country: str | None
) -> None:
    found = by_text(sentence)
    assert phrase in found, found
    assert found[phrase].name == name
    assert found[phrase].country == country


def test_actors_short_acronym_in_capitals_text_still_refused() -> None:
    assert "IS" not in by_text("BREAKING NEWS: IS ATTACK ON MOSUL")


def test_actors_actor_value_for_inferred_actors() -> None:
    v = actor_value("Protesters", source="inferred-from-event")
    assert (v.name, v.category, v.source) == ("Protesters", "Protesters", "inferred-from-event")
    with pytest.raises(ResourceError):
        actor_value("No Such Group")
