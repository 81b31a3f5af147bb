"""The gazetteer: places, their names in many transliterations, and an index over them.

The shipped core ``resources/gazetteer.tsv.gz`` (built by ``scripts/build_gazetteer.py``)
holds Iraq and Syria down to villages (Who's On First + GeoNames + OpenSyria), every
country with its provinces and districts (Who's On First, OCHA P-codes), and the world's
towns of 15,000 people or more (GeoNames). One file per country under
``resources/gazetteer/`` holds its villages and small towns (Who's On First for 26
conflict-affected countries, GeoNames places of 500 people or more elsewhere); a country's
file is opened when a document points to that country (:meth:`Gazetteer.view`): its rows
are in independently compressed blocks under a sorted key index, and a lookup decompresses
only the blocks its key points at (``harmledger.gazetteer.blocks``). Users add GeoNames
country dumps (:func:`import_geonames_dump`) and Who's On First exports
(:func:`import_wof`); the files they write into
``Settings.user_gazetteer_dir`` are loaded next to the shipped core.

File format of the core and imported files: gzip TSV, UTF-8, one header line, then one
row per place::

    id  name  feature  cc  country  admin1  admin2  lat  lon  population  events  alternates

``alternates`` is ``|``-separated (Latin script only). ``events`` counts conflict events
recorded at the place (UCDP GED; 0 elsewhere), a prior for "which of the 9 Hajj Alis".

Matching is two-tier. :func:`normalize` makes the exact key (lower case, no diacritics,
no apostrophes or ʿayn, hyphens as spaces, Arabic articles and generic words such as
"Qaryat" removed, "-ah" endings folded), so "al-Sijir", "As Sijir" and "Qaryat as Sijir"
share a key. :func:`skeleton` makes the fuzzy key (consonants only, transliteration pairs
folded) so "Sijir" and "Sajar" share one; callers use the fuzzy tier only when the exact
tier fails and the context supports a candidate (see ``harmledger.pipeline.places``).
"""

from __future__ import annotations

from harmledger.gazetteer.blocks import CountryTable, key_hash, write_country_file
from harmledger.gazetteer.imports import (
    admin1_table,
    feature_of,
    import_file,
    import_geonames_dump,
    import_wof,
)
from harmledger.gazetteer.index import (
    DETAIL_ROWS_CAP,
    Gazetteer,
    GazetteerView,
    PlaceIndex,
    read_places,
    write_places,
)
from harmledger.gazetteer.names import (
    EARTH_RADIUS_KM,
    JOINED_MAX,
    KEY_VERSION,
    KM_PER_DEGREE,
    MEMO_SIZE,
    MIN_SHORT_SKELETON,
    MIN_SKELETON,
    HasCoordinates,
    Keys,
    NameRules,
    close_spelling,
    distance_km,
    is_latin,
    km_between,
    latin_alternates,
    name_keys,
    name_rules,
    normalize,
    place_keys,
    places_data,
    rules_fingerprint,
    skeleton,
    skeleton_keys,
    unglued_keys,
)
from harmledger.gazetteer.place import (
    COLUMNS,
    COUNTRY_DIR,
    FEATURE_RANK,
    NAME_INDEX,
    SHIPPED,
    Place,
    importance_key,
)
from harmledger.gazetteer.wof import latin_names, transliterate, wof_places

__all__ = [
    "COLUMNS",
    "COUNTRY_DIR",
    "DETAIL_ROWS_CAP",
    "EARTH_RADIUS_KM",
    "FEATURE_RANK",
    "JOINED_MAX",
    "KEY_VERSION",
    "KM_PER_DEGREE",
    "MEMO_SIZE",
    "MIN_SHORT_SKELETON",
    "MIN_SKELETON",
    "NAME_INDEX",
    "SHIPPED",
    "CountryTable",
    "Gazetteer",
    "GazetteerView",
    "HasCoordinates",
    "Keys",
    "NameRules",
    "Place",
    "PlaceIndex",
    "admin1_table",
    "close_spelling",
    "distance_km",
    "feature_of",
    "import_file",
    "import_geonames_dump",
    "import_wof",
    "importance_key",
    "is_latin",
    "key_hash",
    "km_between",
    "latin_alternates",
    "latin_names",
    "name_keys",
    "name_rules",
    "normalize",
    "place_keys",
    "places_data",
    "read_places",
    "rules_fingerprint",
    "skeleton",
    "skeleton_keys",
    "transliterate",
    "unglued_keys",
    "wof_places",
    "write_country_file",
    "write_places",
]
