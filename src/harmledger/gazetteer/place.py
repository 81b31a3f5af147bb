"""One gazetteer row (:class:`Place`), its file format and the ranks of its features."""

from __future__ import annotations

import sys
from dataclasses import dataclass

SHIPPED = "gazetteer.tsv.gz"
#: The folder of ``resources/`` with one file of detail places per country (``SO.tsv.gz``):
#: villages and small towns, loaded when a document points to the country.
COUNTRY_DIR = "gazetteer"
#: In COUNTRY_DIR: which countries' files know each name (see Gazetteer.countries_naming).
NAME_INDEX = "names.npz"
COLUMNS = (
    "id",
    "name",
    "feature",
    "cc",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
    "events",
    "alternates",
)

#: Rank of feature classes for "which is more important" (admin > big city > village).
FEATURE_RANK: dict[str, int] = {
    "country": 9,
    "admin1": 8,
    "region": 7,
    "city": 7,
    "admin2": 6,
    "military base": 5,
    "airport": 5,
    "camp": 5,
    "landmark": 5,
    "area": 5,  # mountain ranges, lakes, oil fields, operation zones: ACLED precision 2
    "town": 4,
    "admin3": 3,
    "neighbourhood": 3,
    "village": 2,
}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer row."""

    id: str  # "geonames:448443", "wof:1326939989", "curated:camp-speicher"
    name: str  # preferred name ("Qaryat as Sajar", "Fallujah")
    feature: str  # see FEATURE_RANK
    cc: str  # ISO 3166-1 alpha-2 ("IQ")
    country: str  # "Iraq"
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    population: int = 0  # population, or an importance figure for curated places
    events: int = 0  # conflict events recorded here (UCDP GED), a salience prior
    alternates: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return FEATURE_RANK.get(self.feature, 1)

    def to_row(self) -> str:
        """This place as one line of the TSV format (no newline)."""
        lat = "" if self.latitude is None else f"{self.latitude:.5f}".rstrip("0").rstrip(".")
        lon = "" if self.longitude is None else f"{self.longitude:.5f}".rstrip("0").rstrip(".")
        cells = [
            self.id,
            self.name,
            self.feature,
            self.cc,
            self.country,
            self.admin1 or "",
            self.admin2 or "",
            lat,
            lon,
            str(self.population or 0),
            str(self.events or 0),
        ]
        alternates = "|".join(_clean_cell(a) for a in self.alternates)
        return "\t".join([*(_clean_cell(c) for c in cells), alternates])

    @classmethod
    def from_row(cls, line: str) -> Place:
        return cls.from_cells(line.rstrip("\n").split("\t"))

    @classmethod
    def from_cells(cls, c: list[str]) -> Place:
        if len(c) < len(COLUMNS):
            raise ValueError(f"expected {len(COLUMNS)} columns, got {len(c)}")
        # the feature, country and units repeat over thousands of rows: one string each
        # (about 20 MB less for the core's 90,000 places)
        intern = sys.intern
        return cls(
            id=c[0],
            name=c[1],
            feature=intern(c[2]),
            cc=intern(c[3]),
            country=intern(c[4]),
            admin1=intern(c[5]) if c[5] else None,
            admin2=intern(c[6]) if c[6] else None,
            latitude=float(c[7]) if c[7] else None,
            longitude=float(c[8]) if c[8] else None,
            population=int(c[9] or 0),
            events=int(c[10] or 0),
            alternates=tuple(c[11].split("|")) if c[11] else (),
        )


def _clean_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("|", "/")


def importance_key(p: Place) -> tuple[int, int, int]:
    return (p.rank, p.population, p.events)
