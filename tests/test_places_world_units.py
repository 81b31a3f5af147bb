"""Places everywhere, fourth round: a village name of the countries the gazetteer covers in
detail does not outweigh a town of one other country that the text introduces as a place,
and a district holds the places filed under it, not every place of its namesake province."""

from harmledger.gazetteer import Gazetteer, km_between
from harmledger.model import PlaceValue
from harmledger.pipeline.places import find_places
from harmledger.pipeline.places.scoring import distance


def places(text: str) -> dict[str, PlaceValue]:
    return {h.value.name: h.value for h in find_places(text) if h.value.feature != "country"}


def test_places_a_detailed_countrys_village_name_does_not_hide_a_foreign_town() -> None:
    # "Kandi" is also an Iraqi village; "Djougou" is only Benin's: the note is about Benin,
    # and its Kandi is Benin's town, not the village near Mosul
    found = places(
        "Cotton traders from Kandi blocked the main road in Djougou, demanding payment "
        "for their harvest."
    )
    assert found["Djougou"].country == "Benin"
    assert found["Kandi"].country == "Benin"


def test_places_a_name_with_a_detailed_countrys_village_still_reads_there() -> None:
    # no other name points elsewhere: an Iraqi note naming only an Iraqi village keeps it
    found = places("Gunmen opened fire on a checkpoint in Kandi, wounding two policemen.")
    assert found["Kandi"].country == "Iraq"


def test_places_a_district_holds_its_own_places_not_its_namesake_province() -> None:
    gaz = Gazetteer.load(None).view(["MM"])
    district = next(p for p in gaz.lookup("Sagaing") if p.feature == "admin2")
    inga = next(p for p in gaz.lookup("Inga") if p.country == "Myanmar")
    # Inga lies in the Sagaing region, 200 km from Sagaing district: not inside it
    assert inga.admin1 == "Sagaing" and inga.admin2 != "Sagaing"
    assert distance(inga, district) != 0.0
    province = next(p for p in gaz.lookup("Sagaing") if p.feature == "admin1")
    assert distance(inga, province) == 0.0


def test_places_a_village_of_a_township_is_not_a_namesake_across_the_region() -> None:
    # the village is not in the gazetteer; a look-alike 200 km away in the same region is
    # not it, and the township the note names is the place left
    text = (
        "Gunmen on motorbikes threw a grenade at the primary school in Pauk Kar village, "
        "Sagaing township (Sagaing district, Sagaing region)."
    )
    found = places(text)
    sagaing = found["Sagaing"]
    assert all((d := km_between(v, sagaing)) is not None and d < 60 for v in found.values()), found


def test_places_a_town_inside_a_militias_name_is_not_a_place() -> None:
    # the Pyu Saw Htee militia is not the town of Pyu, 400 km away in Bago
    text = (
        "In Ah Sin village (Ye township, Mawlamyine District, Mon State), a bomb exploded "
        "at the home of a Pyu Saw Htee member."
    )
    group = text.index("Pyu Saw Htee member")
    actor = (group, group + len("Pyu Saw Htee member"), "Myanmar")
    assert "Pyu" in {h.value.name for h in find_places(text)}
    found = {h.value.name for h in find_places(text, actors=[actor])}
    assert "Pyu" not in found and "Mawlamyine" in found


def test_places_a_look_alike_in_another_commune_is_not_the_village() -> None:
    # "Tampatou" reads like Tawanmpouta, a village of Natitingou commune 39 km away: not
    # the Toucountouna village the note names; the commune is the place left
    found = places(
        "Unknown gunmen kidnapped a cattle trader in Tampatou (Toucountouna, Atacora) on "
        "Friday night."
    )
    assert "Tawanmpouta" not in found
    assert found["Toukountouna"].country == "Benin"


def test_places_a_look_alike_filed_in_the_commune_named_is_the_village() -> None:
    # "Alfakoara" is the gazetteer's Alfa Kwara, filed in Kandi commune, 38 km from Kandi
    found = places(
        "Militants attacked a forest guard post in Alfakoara (Kandi, Alibori), killing two guards."
    )
    assert found["Alfa Kwara"].admin1 == "Alibori"
