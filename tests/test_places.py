import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmledger.config import Settings
from harmledger.model import Annotated, Document, PlaceValue, Span
from harmledger.pipeline.places import PlaceTagger, find_places
from harmledger.pipeline.segment import Segmenter

SIJIR = (
    "One of the most deadly examples of abuse included 12 men and four boys who fled the "
    "town of al-Sijir, just north of Fallujah, and were executed after turning themselves "
    "over to men dressed in military and federal police uniforms May 30."
)
HAJJ_ALI = (
    "They wanted us to confess to being Daesh (ISIS), said another man, who claimed he "
    "was tortured at an Iraqi military facility near the village of Hajj Ali in June, 2016."
)
SPEICHER = (
    "The Camp Speicher massacre was an ISIS attack on an Iraqi Air Force base which left "
    "at least 1,566 Shia cadets dead in June, 2014."
)


def places(text: str) -> list[tuple[str, PlaceValue]]:
    return [(text[h.start : h.end], h.value) for h in find_places(text)]


def named(text: str) -> dict[str, PlaceValue]:
    return {v.name: v for _, v in places(text) if v.feature != "country"}


# --------------------------------------------------------------------------- the seed report


def test_places_sijir_just_north_of_fallujah() -> None:
    found = places(SIJIR)
    assert [t for t, _ in found] == ["al-Sijir", "just north of Fallujah"]
    sijir, fallujah = found[0][1], found[1][1]
    assert sijir.gazetteer_id == "geonames:448443"
    assert (sijir.admin1, sijir.country, sijir.precision) == ("Anbar", "Iraq", 1)
    assert (round(sijir.latitude, 2), round(sijir.longitude, 2)) == (33.41, 43.8)  # type: ignore[arg-type]
    assert (sijir.relation, sijir.anchor, sijir.matched_name) == (
        "north of",
        "Fallujah",
        "Qaryat as Sajar",
    )
    assert (fallujah.name, fallujah.precision, fallujah.relation) == ("Fallujah", 2, "north of")
    assert fallujah.feature == "city"


def test_places_hajj_ali_is_the_village_near_qayyarah() -> None:
    [(text, v)] = [(t, v) for t, v in places(HAJJ_ALI) if v.feature != "country"]
    assert text == "near the village of Hajj Ali"
    assert v.gazetteer_id == "geonames:96282"
    assert (v.admin1, v.precision, v.relation) == ("Ninewa", 2, "near")
    assert (round(v.latitude, 2), round(v.longitude, 2)) == (35.74, 43.31)  # type: ignore[arg-type]


def test_places_camp_speicher_and_not_the_air_force() -> None:
    found = places(SPEICHER)
    assert [t for t, _ in found] == ["Camp Speicher"]
    v = found[0][1]
    assert (v.admin1, v.feature, v.precision) == ("Salah al-Din", "military base", 1)
    assert abs(v.latitude - 34.65) < 0.1 and abs(v.longitude - 43.55) < 0.1  # type: ignore[operator]


# --------------------------------------------------------------------------- a table


@pytest.mark.parametrize(
    ("sentence", "phrase", "name", "admin1", "precision", "relation"),
    [
        (
            "Gunmen killed two civilians in Anbar province on Monday.",
            "Anbar province",
            "Anbar",
            "Anbar",
            3,
            None,
        ),
        ("Airstrikes hit Idlib province.", "Idlib province", "Idleb", "Idleb", 3, None),
        ("Protesters gathered in Baghdad.", "Baghdad", "Baghdad", "Baghdad", 1, None),
        (
            "Clashes broke out on the outskirts of Mosul.",
            "on the outskirts of Mosul",
            "Mosul",
            "Ninewa",
            2,
            "outskirts of",
        ),
        ("SDF fighters advanced near Raqqa.", "near Raqqa", "Raqqa", "Raqqa", 2, "near"),
        (
            "An IED exploded in Hawija district of Kirkuk.",
            "Hawija district",
            None,
            "Kirkuk",
            2,
            None,
        ),
        (
            "Fighting continued in Deir ez-Zor city.",
            "Deir ez-Zor city",
            "Deir-ez-Zor",
            "Deir-ez-Zor",
            1,
            None,
        ),
        ("Two farmers were killed in Tal Afar.", "Tal Afar", "Tall 'Afar", "Ninewa", 1, None),
        ("Two farmers were killed in Tall Afar.", "Tall Afar", "Tall 'Afar", "Ninewa", 1, None),
        (
            "Regime helicopters dropped barrel bombs on Kafr Nabl.",
            "Kafr Nabl",
            "Kafr Nabl",
            "Idleb",
            1,
            None,
        ),
        ("Civilians fled Hajin as the assault began.", "Hajin", "Hajin", "Deir-ez-Zor", 1, None),
        (
            "Residents of Saqlawiyah, northwest of Fallujah, were detained.",
            "Saqlawiyah",
            "As Saqlawiyah",
            "Anbar",
            1,
            "northwest of",
        ),
        ("An airstrike hit a house in Daqouq.", "Daqouq", "Daquq", "Kirkuk", 1, None),
    ],
)
def test_places_table(
    sentence: str,
    phrase: str,
    name: str | None,
    admin1: str,
    precision: int,
    relation: str | None,
) -> None:
    found = dict(places(sentence))
    assert phrase in found, found
    v = found[phrase]
    if name is not None:
        assert v.name == name
    assert (v.admin1, v.precision, v.relation) == (admin1, precision, relation)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Islamic State claimed the attack, Amnesty International said.",
        "The Camp was attacked by the Iraqi Air Force.",
        "Iraqi Prime Minister Haider al-Abadi issued an order in February, 2016.",
        "“The Hashd took our men away,” said Salma, whose real name was withheld.",
        "The report was released Tuesday. On May 30 they were executed.",
        "Follow Russ Read on Twitter. Send tips to the newsroom.",
        "Al-Sijir was quiet.",  # a fuzzy match without a cue word or support
        "No featured image available.",
        # the initial of "U.S." is no place (it matched a region of Cameroon)
        "Islamic State militants tortured hostages in Syria, U.S. officials said on Tuesday.",
    ],
)
def test_places_not_places(sentence: str) -> None:
    assert [(t, v.name) for t, v in places(sentence) if v.feature != "country"] == []


def test_places_countries_have_no_precision() -> None:
    found = places("Iraq’s militias were funded by Iran, an Iraqi official said.")
    assert [(t, v.feature, v.precision) for t, v in found] == [
        ("Iraq", "country", None),
        ("Iran", "country", None),
    ]


# --------------------------------------------------------------------------- disambiguation


def test_places_village_of_prefers_a_village_in_the_documents_country() -> None:
    v = named("Syrian army artillery shelled the village of Anbar near Aleppo.")["Anbar"]
    assert (v.country, v.feature, v.admin1) == ("Syria", "village", "Aleppo")
    assert named("Gunmen attacked a checkpoint in Anbar.")["Anbar"].feature == "admin1"


def test_places_karmah_near_fallujah_is_the_anbar_one() -> None:
    found = named("Militants attacked the town of al-Karmah, east of Fallujah.")
    karmah = next(v for v in found.values() if v.matched_name and "Karm" in v.matched_name)
    assert karmah.admin1 == "Anbar" and karmah.relation == "east of"


def test_places_city_beats_its_province_when_bare() -> None:
    assert named("Protesters gathered in Basra.")["Basrah"].feature == "city"
    assert named("Protesters gathered across Basra province.")["Basrah"].feature == "admin1"


def test_places_containment_rejects_namesakes_elsewhere() -> None:
    # "in Kirkuk" says where: a Budayr in another province is not this one
    found = named("An IED exploded near al Budayr village in Kirkuk province.")
    assert all(v.admin1 == "Kirkuk" for v in found.values())


def test_places_world_places_need_the_country_in_the_document() -> None:
    assert "El Jadida" not in named("Students protested in al-Jadidah city.")
    assert "Paris" in named("The report was presented in Paris.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a city of 100,000 people or more after a locative word, with no namesake
        ("Gunmen killed 11 people in Celaya on Sunday.", [("Celaya", "Mexico")]),
        ("Five civilians died near Mopti overnight.", [("Mopti", "Mali")]),
        # a village namesake in Iraq of a tenth the size does not stand in the way
        ("ADF rebels killed 14 in Beni.", [("Beni", "Democratic Republic of the Congo")]),
        # bare, a city of one country only says the text's country when nothing else does
        ("Celaya police said 11 people died.", [("Celaya", "Mexico")]),
        # ... but not a name that cities of several countries share
        ("Richmond police said 11 people died.", []),
        # a feature word that asks for another kind of place: not the Saudi city of Ha'il
        ("Troops advanced near the al-Hail oilfield.", []),
    ],
)
def test_places_cued_world_city(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(v.name, v.country) for _, v in places(text)] == expected


def test_places_state_and_territory_ask_for_a_unit() -> None:
    # "Kaduna State" is the state, not the city's streets; "Beni territory" the territory
    kaduna = named("Gunmen abducted 30 people in Kaduna State.")["Kaduna"]
    beni = named("Twelve were killed in Mamove, in Beni territory, on Friday.")["Beni"]
    assert (kaduna.precision, beni.precision) == (3, 2)
    # but a body's "member states" are no place
    assert list(named("Member states met in New York.")) == ["New York City"]


# --------------------------------------------------------------------------- the stage


def _doc(text: str) -> Annotated:
    d = Document.build(name="t", text=text, raw=text, reader="test.v1")
    return Segmenter(Settings())(Annotated(document=d))


def test_places_stage_adds_mentions_with_exact_offsets(tmp_path) -> None:
    text = SPEICHER + "\n\n" + SIJIR + "\n\n" + HAJJ_ALI
    tagger = PlaceTagger(Settings(gazetteer_dir=tmp_path))
    assert (tagger.name, tagger.assigns) == ("places.v19", ("mentions:place",))
    out = tagger(_doc(text))
    assert out.stages[-1] == "places.v19"
    ms = out.of_kind("place")
    assert {m.value.gazetteer_id for m in ms} >= {  # type: ignore[union-attr]
        "curated:camp-speicher",
        "geonames:448443",
        "geonames:96282",
        "geonames:99454",
    }
    for m in ms:
        assert m.text == text[m.start : m.end] and m.stage == "places.v19"


def test_places_stage_respects_candidate_sentences(tmp_path) -> None:
    text = "Protesters gathered in Basra. Gunmen killed two farmers in Tikrit, Iraq."
    doc = _doc(text)
    from dataclasses import replace

    doc = replace(doc, candidates=frozenset({1}))
    ms = PlaceTagger(Settings(gazetteer_dir=tmp_path))(doc).of_kind("place")
    assert [m.text for m in ms] == ["Tikrit", "Iraq"]


def test_places_within_still_returns_countries() -> None:
    text = "Iraq was calm. Gunmen killed two farmers in Tikrit."
    hits = find_places(text, within=[Span(15, len(text))])
    assert [text[h.start : h.end] for h in hits] == ["Iraq", "Tikrit"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "in",
                "near",
                "the",
                "village",
                "of",
                "Hajj",
                "Ali",
                "al-Sijir",
                "Fallujah",
                ",",
                "north",
                "Anbar",
                "province",
                "Islamic",
                "State",
                "Iraq",
                "’s",
                "said",
                "Salma",
                ".",
                "Tal",
                "Afar",
                "district",
                "\n",
                "Mosul",
                "outskirts",
                "just",
                "Qaryat",
            ]
        ),
        max_size=30,
    ).map(" ".join)
)
def test_places_offsets_always_valid(text: str) -> None:
    for h in find_places(text):
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end].strip() == text[h.start : h.end]
        assert h.value.precision in (None, 1, 2, 3)


# --------------------------------------------------------------------------- location quality (v2)


@pytest.mark.parametrize(
    ("sentence", "phrase", "name", "feature", "admin1"),
    [
        # a neighbourhood of a named city is looked for in that city, under other spellings
        (
            "A grenade was thrown at a store in Doura neighborhood in Baghdad city.",
            "Doura neighborhood",
            "Dora",
            "neighbourhood",
            "Baghdad",
        ),
        # cities written like the province or district named after them
        ("Employees protested in Sulaimani city.", "Sulaimani city", None, "city", None),
        ("Hundreds gathered in Nassriya city.", "Nassriya city", "An Nasiriyah", "city", None),
        # a run cut by a person's title still names a town as a whole
        ("Protesters held the Umm Qasr port.", "Umm Qasr port", "Umm Qasr", "city", "Basrah"),
        # the words after "of" in an organisation's name; the town before it
        (
            "Employees of the Directorate of Basra province protested.",
            "Basra province",
            "Basrah",
            "admin1",
            None,
        ),
        ("Students at Mosul University held a protest.", "Mosul", "Mosul", "city", "Ninewa"),
        # a longer spelling the gazetteer knows only by its consonants
        (
            "A bomb exploded in central Tuz Khurmato, injuring 6 civilians.",
            "central Tuz Khurmato",
            "Tuz Khurmatu",
            "town",
            "Salah al-Din",
        ),
        # curated mountains, operation zones, oil fields, regions
        (
            "Iraqi jets struck IS hideouts in the Hamrin Mountains in Diyala province.",
            "Hamrin Mountains",
            "Hamrin Mountains",
            "area",
            "Diyala",
        ),
        (
            "Turkish jets bombed PKK positions in Haftanin, Dahuk.",
            "Haftanin",
            "Haftanin",
            "area",
            "Dahuk",
        ),
        (
            "Workers protested in front of the Majnoon oil field in Basra province.",
            "Majnoon oil field",
            "Majnoon oil field",
            "area",
            "Basrah",
        ),
        (
            "An Israeli strike near the Golan Heights killed three soldiers.",
            "near the Golan Heights",
            "Golan Heights",
            "area",
            "Quneitra",
        ),
        (
            "Thirty civilians were killed in Eastern Ghouta.",
            "Eastern Ghouta",
            "Eastern Ghouta",
            "area",
            "Rural Damascus",
        ),
        ("Gunmen killed a shopkeeper in Sadr City.", "Sadr City", "Sadr City", None, "Baghdad"),
    ],
)
def test_places_quality_table(
    sentence: str, phrase: str, name: str | None, feature: str | None, admin1: str | None
) -> None:
    found = dict(places(sentence))
    assert phrase in found, found
    v = found[phrase]
    if name is not None:
        assert v.name == name
    if feature is not None:
        assert v.feature == feature
    if admin1 is not None:
        assert v.admin1 == admin1
    else:
        assert v.admin1 is not None


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        # a namesake village far from the city the text puts it in
        ("An IED exploded in the al-Qadisya neighborhood of Kirkuk.", "al-Qadisya neighborhood"),
        ("Protesters gathered in al-Allawi in central Baghdad.", "al-Allawi"),
        ("Suicide bombers blew themselves up in the al Midan district of Damascus.", "al Midan"),
        # names of bridges, universities, parties, events
        ("Protesters gathered near the Ahrar Bridge in Baghdad.", "Ahrar"),
        ("Students from Sumer university protested in Nassriya city.", "Sumer"),
        ("Protesters of the Tishreen revolution gathered in Kut city.", "Tishreen"),
        ("Protesters of the Tishreen Revolution gathered in Kut city.", "Revolution"),
        ("Demonstrators burned the al-Hikma political party office in Hilla.", "al-Hikma"),
        # part of a longer name the gazetteer does not know
        ("A shell hit the Salah Eddin neighbourhood in Aleppo city.", "Salah"),
        ("Barrel bombs of the Bashar Assad regime killed 20 in Idlib province.", "Bashar"),
        # a village of a country the document does not point to
        ("A shell fell on al-Midan residential neighborhood in Aleppo, injuring one.", "al-Midan"),
        # a demonym is never a misspelt place
        ("Syrian state TV said 22 people died in the bombing.", "Syrian"),
    ],
)
def test_places_quality_not_places(sentence: str, absent: str) -> None:
    found = [t for t, v in places(sentence) if v.feature != "country"]
    assert not any(absent in t for t in found), found


def test_places_province_in_brackets_is_not_the_city() -> None:
    # "(Basrah)" names the province: Umm Qasr, 55 km from Basra city, is kept
    found = named("A bomb exploded in Umm Qasr (Basrah).")
    assert "Umm Qasr" in found


# --------------------------------------------------------------------------- the event's place


def main_location(text: str, published: str) -> dict:
    import harmledger

    incs = harmledger.extract(text, published=published)
    return max(incs, key=lambda i: i.confidence).to_contract()["location"] or {}


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        # the province a district lies in is not the event's place
        (
            "On 5 April 2019, gunmen ambushed police in Tal al-Basal in Kirkuk's southern "
            "district of Daquq, killing 6 officers.",
            "2019-04-07",
            "Daquq",
        ),
        # a name inside quotes is the name of something else
        (
            "On 11 June 2019, civilians protested against the government over the 'Camp "
            "Speicher massacre' in Baghdad city.",
            "2019-06-12",
            "Baghdad",
        ),
        # a lead that says where only in the next sentence
        (
            "At least 35 militants were killed in air strikes overnight, a monitor said on "
            "Saturday. The Observatory said 30 of them were killed around the town of "
            "Shadadi in Hasakeh province.",
            "2014-10-04",
            "Ash Shaddadah",
        ),
    ],
)
def test_places_event_place(text: str, published: str, name: str) -> None:
    assert main_location(text, published)["name"] == name


@pytest.mark.parametrize(
    ("text", "name", "precision"),
    [
        ("IS members hid in a cave in the Makhoul mountains near Baiji.", "Makhul Mountains", 2),
        ("Turkish jets struck PKK positions in Haftanin on Monday.", "Haftanin", 2),
        ("A bomb exploded in the Karrada district of Baghdad.", "Karrada", 1),
    ],
)
def test_places_areas_and_city_quarters_precision(text, name, precision):
    hits = [h for h in find_places(text) if h.value.name == name]
    assert hits and hits[0].value.precision == precision


# --------------------------------------------------------------------------- places.v3


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # "Anwar" is only the first word of a quarter's name the gazetteer does not know
        ("Gunmen shot dead a shopkeeper in the Anwar al Sadr neighbourhood of Kut city.", "Anwar"),
        # a namesake village 100+ km from the city and province the sentence names
        ("An IED wounded two policemen in Rashad, Kirkuk province, on Sunday.", "Rashad"),
        # a road or a bridge named after a person or a village is not that village
        ("Protesters closed the Muhammad al-Qasim highway in Baghdad with burning tyres.", "Qasim"),
        ("Police fired on crowds near the al-Nasr and al-Zeytun bridges in Nassiriya.", "Nasr"),
    ],
)
def test_places_v3_namesakes_and_name_parts_are_not_tagged(text: str, absent: str) -> None:
    assert not [t for t, _ in places(text) if absent in t]


def test_places_v3_misspelt_city_is_looked_for_in_the_named_province() -> None:
    found = named("Demonstrators burned tyres in Nasriya City, Thi-Qar province, on Tuesday.")
    assert found["An Nasiriyah"].admin1 == "Thi-Qar"
    assert not [v for v in found.values() if v.country != "Iraq"]


def test_places_v3_coordinated_names_share_the_plural_feature_word() -> None:
    text = "Police dispersed crowds in the Salhiya and Sumer neighbourhoods of Nassriya city."
    assert {v.admin1 for v in named(text).values()} == {"Thi-Qar"}
    text = "Shelling hit the neighborhoods of al-Hamadaniyeh and al-Midan in Aleppo city."
    assert all(v.admin1 == "Aleppo" for v in named(text).values())


def test_places_v3_compass_word_without_of_is_a_relation() -> None:
    found = places("A roadside bomb wounded two farmers in al Saadiyah northeast Baquba.")
    assert [(t, v.precision, v.relation) for t, v in found] == [
        ("al Saadiyah", 1, "northeast of"),
        ("northeast Baquba", 2, "northeast of"),
    ]


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        # the ends of a blocked road are not where the protest was
        (
            "On 3 March 2021, protesters blocked the road between Kut and Amarah in Ali al "
            "Sharqi with burning tyres.",
            "2021-03-04",
            "Nahiyat Ali ash Sharqi",
        ),
        # a place in a unit's name is not the event's place
        (
            "On 2 March 2021, gunmen shot dead the commander of Kerbala brigade in Sadr City "
            "in Baghdad.",
            "2021-03-03",
            "Sadr City",
        ),
        # a market's name with a word between it and "market" is no village 55 km away
        (
            "On 14 March 2023, a car bomb detonated in the Jamila wholesale market in Sadr "
            "City, eastern Baghdad, killing 12 civilians.",
            "2023-03-16",
            "Sadr City",
        ),
    ],
)
def test_places_v3_event_place(text: str, published: str, name: str) -> None:
    assert main_location(text, published)["name"] == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown neighbourhood of a town is not a village 21 km out of it
        (
            "A car bomb struck the al-Hilaliyah neighbourhood in the city of Qamishli.",
            {"Al Qamishli"},
        ),
        # a big city's neighbourhoods lie far from its centre
        ("A car bomb exploded in the Zayouna neighbourhood of Baghdad.", {"Zayouna", "Baghdad"}),
    ],
)
def test_places_neighbourhood_of_a_town_lies_in_it(text, expected) -> None:
    assert {v.name for _, v in places(text)} == expected


def test_places_a_district_linked_to_a_far_town_is_kept() -> None:
    # "south of Shirqat district, north of Tikrit": the district's centre is 100 km from
    # Tikrit, and a district has no namesake to reject
    text = "Fighters repelled an attack on positions south of Shirqat district, north of Tikrit."
    assert {"Shirqat", "Tikrit"} <= set(named(text))


@pytest.mark.parametrize(
    ("text", "actors", "expected"),
    [
        # an armed group's country is evidence of where its acts happen
        (
            "Gunmen opened fire on protesters in Monywa on Saturday.",
            [(0, 6, "Myanmar")],
            [("Monywa", "Myanmar")],
        ),
        (
            "Taliban fighters attacked a police post in Gereshk on Sunday.",
            [(0, 7, "Afghanistan")],
            [("Gereshk", "Afghanistan")],
        ),
        # without it, a town that only one country has, after a locative word, is that
        # country's, as a coder reads it
        ("Gunmen attacked a police post in Gereshk on Sunday.", [], [("Gereshk", "Afghanistan")]),
        # a country whose forces act abroad is passed as None by the tagger
        ("Troops handed over the K1 base in Kirkuk.", [(0, 6, None)], [("Kirkuk", "Iraq")]),
    ],
)
def test_places_actor_country_is_evidence(
    text: str, actors: list[tuple[int, int, str | None]], expected: list[tuple[str, str]]
) -> None:
    found = find_places(text, actors=actors)
    assert [(p.value.name, p.value.country) for p in found] == expected


def test_places_a_group_name_is_no_village() -> None:
    # the gazetteer knows a village "Taliban" in Iraq
    text = "Fighting raged in Taliban strongholds near Kirkuk."
    assert [p.value.name for p in find_places(text)] == ["Taliban", "Kirkuk"]
    assert [p.value.name for p in find_places(text, actors=[(18, 25, None)])] == ["Kirkuk"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the place a name is tied to vouches for its namesake in that country
        ("Clashes in Zawiya, west of Tripoli, killed five people on Tuesday.", "Az Zāwīyah"),
        ("Armed groups clashed in Sabratha, west of Tripoli, on Tuesday.", "Şabrātah"),
    ],
)
def test_places_linked_place_vouches_for_a_town(text: str, name: str) -> None:
    found = find_places(text)
    assert (found[0].value.name, found[0].value.country) == (name, "Libya")


def test_places_a_road_leads_to_the_town_it_is_named_after() -> None:
    # a road is named after the town it leads to, which may lie outside the city the
    # sentence names (a market or a building named after a town lies in the sentence's town)
    hits = find_places(
        "A roadside bomb exploded on the Al Mahmudiyah road in Baghdad, damaging a car."
    )
    assert "Al Mahmudiyah" in {h.value.name for h in hits}


def test_places_an_office_that_speaks_leaves_its_town_a_place() -> None:
    # "Kirkuk Governor Rakan al-Jabouri said": an office and a name, not a person called
    # Kirkuk; the city named bare later is still the city
    hits = find_places(
        "Kirkuk Governor Rakan al-Jabouri said two policemen were killed at a checkpoint. "
        "Kirkuk has seen few attacks this year."
    )
    assert [h.value.name for h in hits].count("Kirkuk") == 2
