"""Build ``src/harmledger/resources/actors.json`` from the curated table and public lists.

    .venv/bin/python scripts/build_actors.py [--data /work/shared/data/actors]

Inputs (none of them ship; only the merged JSON does):

* ``src/harmledger/resources/actors_curated.json`` -- hand-curated entries, countries and
  word lists. It is the base: everything in it is kept as written, so a rebuild never loses
  a curated alias. Edit it, then rerun this script.
* ``ucdp/ucdp-actor-221.csv`` -- UCDP actor list v22.1 (CC BY 4.0; Davies, Pettersson &
  Oberg 2022): non-state groups (Org 1) of every region, with their data name, original
  name, English name and former names, and the country they fight in (the first UCDP
  location; a Middle-East country first for groups of several regions).
* ``ofac/sdn.csv`` + ``ofac/alt.csv`` -- US sanctions list (public domain), latin-1, joined on
  the first column: the aliases of a vetted list of Middle-East armed groups (OFAC_GROUPS).
* ``phoenix/Phoenix.Countries.actors.txt`` and ``Phoenix.MilNonState.actors.txt`` (MIT,
  Open Event Data Alliance): country names and adjectives for countries the curated table
  lacks, and non-state groups coded to Middle-East countries.

An external entry whose alias (or exact acronym) equals an alias of an existing entry of a
compatible country is merged into it (its aliases are added); otherwise it becomes a new
entry; a UCDP group is compatible with an entry whose country is any of its locations
("Al-Shabaab": Ethiopia, Somalia, Kenya... joins the curated Somali entry). Aliases that are
common words, too short or ambiguous are dropped (the curated ``stop_aliases`` list, single
words under 4 letters, acronyms under 3 letters, faction names: "Taleban - Ali Dad faction").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from harmledger.pipeline.actors import alias_keys  # noqa: E402

RES = ROOT / "src" / "harmledger" / "resources"
DEFAULT_DATA = Path("/work/shared/data/actors")

#: OFAC entity id -> (curated entry to merge into, or None for a new entry; country; category)
OFAC_GROUPS: dict[str, tuple[str | None, str | None, str]] = {
    "8759": ("Islamic State", None, "Rebel Groups"),
    "16937": ("Hayat Tahrir al-Sham", "Syria", "Rebel Groups"),
    "11462": ("Kataib Hezbollah", "Iraq", "Political Militias"),
    "28283": ("Asaib Ahl al-Haq", "Iraq", "Political Militias"),
    "26446": ("Harakat al-Nujaba", "Iraq", "Political Militias"),
    "27318": ("Hurras al-Din", "Syria", "Rebel Groups"),
    "26347": ("Fatemiyoun Division", "Syria", "Political Militias"),
    "4697": ("Hezbollah", "Lebanon", "Political Militias"),
    "4702": ("Kurdistan Workers Party", None, "Rebel Groups"),
    "6366": ("Al Qaeda", None, "Rebel Groups"),
    "7472": ("Ansar al-Islam", "Iraq", "Rebel Groups"),
    "10391": ("Islamic Revolutionary Guard Corps", "Iran", "State Forces"),
    "10465": ("Qods Force", "Iran", "State Forces"),
    "12727": ("Islamic Revolutionary Guard Corps", "Iran", "State Forces"),
    "11749": ("Army of the Men of the Naqshbandi Order", "Iraq", "Rebel Groups"),
    "12733": (None, "Palestine", "Rebel Groups"),  # Jaysh al-Islam of Gaza
    "4695": ("Hamas Movement", "Palestine", "Rebel Groups"),
    "4707": (None, "Palestine", "Rebel Groups"),  # Palestinian Islamic Jihad
    "7200": (None, "Palestine", "Rebel Groups"),  # al-Aqsa Martyrs Brigade
    "17289": (None, "Syria", "Rebel Groups"),  # Jaish al-Muhajireen wal-Ansar
    "15588": (None, "Syria", "Political Militias"),  # Jaysh al-Sha'bi (pro-government)
    "11695": (None, "Yemen", "Rebel Groups"),  # AQAP
    "12299": (None, "Iran", "Rebel Groups"),  # Jaysh al-Adl
}
#: Canonical names for new OFAC entries (OFAC's own are in capitals)
OFAC_NAMES = {
    "12733": "Jaysh al-Islam",
    "4707": "Palestinian Islamic Jihad",
    "7200": "Al-Aqsa Martyrs Brigades",
    "17289": "Jaish al-Muhajireen wal-Ansar",
    "15588": "Jaysh al-Shabi",
    "11695": "Al Qaeda in the Arabian Peninsula",
    "12299": "Jaysh al-Adl",
}
UCDP_PREFERRED_COUNTRIES = ("Syria", "Iraq", "Lebanon", "Turkey", "Iran", "Palestine", "Yemen")
#: UCDP locations -> our country names (UCDP's non-state groups "in Israel" are Palestinian);
#: other locations lose a bracketed former name: "Myanmar (Burma)" -> "Myanmar"
UCDP_COUNTRY_FIX = {
    "Israel": "Palestine", "Yemen (North Yemen)": "Yemen", "South Yemen": "Yemen",
    "DR Congo (Zaire)": "Democratic Republic of Congo", "Congo": "Republic of Congo",
    "Russia (Soviet Union)": "Russia", "Serbia (Yugoslavia)": "Serbia",
    "United States of America": "United States", "Bosnia-Herzegovina": "Bosnia and Herzegovina",
    "Vietnam (North Vietnam)": "Vietnam", "South Vietnam": "Vietnam", "Hyderabad": "India",
}  # fmt: skip
#: UCDP names of factions and splinters ("Taleban - Ali Dad faction", "Military faction
#: (forces of ...)"): a report names the group, not the faction, and the faction's name would
#: only add its leader's name as an alias
_FACTION = re.compile(r"\s[-–]\s|\bfaction\b|\bforces of\b", re.IGNORECASE)
PHOENIX_REGION = {
    "IRQ": "Iraq", "SYR": "Syria", "LBN": "Lebanon", "TUR": "Turkey", "IRN": "Iran",
    "PSE": "Palestine", "JOR": "Jordan", "YEM": "Yemen", "SAU": "Saudi Arabia", "ISR": "Israel",
}  # fmt: skip
ARABIC_MARKERS = frozenset(
    {"al", "jaysh", "jaish", "liwa", "kataib", "katibat", "saraya", "harakat", "jund", "ansar",
     "hizb", "jabhat", "tawhid", "asbat", "faylaq", "ahrar", "thuwar", "alwiya"}
)  # fmt: skip
_CONNECT = frozenset(
    {"al", "el", "ad", "ash", "as", "at", "ar", "az", "wa", "wal", "fi", "li", "of", "the", "and",
     "for", "in", "ul", "bin", "ibn"}
)  # fmt: skip
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9\-]{1,7}$")
#: Outside the Middle East a UCDP acronym needs four letters: the three-letter ones of
#: long-gone groups are everyday abbreviations (CPI, NRC, MIA, PLA, CPA...); these are kept
UCDP_SHORT_ACRONYMS = frozenset({"LRA", "RUF", "AUC", "ELN", "EPL", "MLC", "RCD", "OLF"})


def proper_case(name: str) -> str:
    """OFAC/Phoenix capitals as a newspaper writes them: "AL-NUSRAH FRONT" -> "al-Nusrah Front"."""

    def word(w: str, first: bool) -> str:
        parts = w.split("-")
        out = []
        for n, p in enumerate(parts):
            low = p.lower()
            if low in _CONNECT and not (first and n == 0 and low not in ("al", "el")):
                out.append(low)
            elif p:
                out.append(p[0].upper() + p[1:].lower())
            else:
                out.append(p)
        return "-".join(out)

    words = name.split()
    return " ".join(word(w, n == 0) for n, w in enumerate(words))


def ucdp_country(location: str) -> str:
    """Our name of a UCDP location: "DR Congo (Zaire)" -> "Democratic Republic of Congo"."""
    location = location.strip()
    fixed = UCDP_COUNTRY_FIX.get(location)
    if fixed is not None:
        return fixed
    return re.sub(r"\s*\([^)]*\)$", "", location)


class Builder:
    def __init__(self, curated: dict[str, Any]) -> None:
        self.data = curated
        self.actors: list[dict[str, Any]] = curated["actors"]
        for a in self.actors:
            a.setdefault("origin", ["curated"])
        self.stop = {alias_keys(s) for s in curated["stop_aliases"]}
        self.index: dict[tuple[str, ...], list[int]] = {}
        for n, a in enumerate(self.actors):
            for al in a["aliases"] + a["acronyms"]:
                self.index.setdefault(alias_keys(al), []).append(n)

    def clean(
        self, names: list[str], *, short_acronyms: bool = True
    ) -> tuple[list[str], list[str]]:
        """Split into (aliases, acronyms); drop stop-listed, short, and non-Latin names
        (and three-letter acronyms unless ``short_acronyms``, see UCDP_SHORT_ACRONYMS)."""
        aliases: list[str] = []
        acronyms: list[str] = []
        for raw in names:
            name = re.sub(r"\s+", " ", raw.replace("’", "'")).strip(" ,;")
            name = re.sub(r"^(?:The|THE) ", "", name)
            if not name or name.lower() == "n/a" or "(" in name or "/" in name:
                continue
            if any(ord(c) > 0x24F for c in name):  # not Latin script
                continue
            keys = alias_keys(name)
            if not keys or keys in self.stop:
                continue
            if _ACRONYM.match(name):
                letters = len(name.replace("-", ""))
                if letters >= 4 or (
                    letters == 3 and (short_acronyms or name in UCDP_SHORT_ACRONYMS)
                ):
                    acronyms.append(name)
                continue
            if len(keys) == 1 and len(keys[0]) < 4:
                continue
            aliases.append(name)
        return aliases, acronyms

    def merge(
        self,
        *,
        name: str,
        aliases: list[str],
        acronyms: list[str],
        country: str | None,
        category: str,
        origin: str,
        target: str | None = None,
        allow_new: bool = True,
        also: frozenset[str] = frozenset(),
    ) -> None:
        """Add the names to the entry they belong to, or to a new entry. ``also``: other
        countries the group is active in (an entry of any of them is compatible)."""
        hit = None
        if target is not None:
            hit = next(n for n, a in enumerate(self.actors) if a["name"] == target)
        else:
            for al in aliases + acronyms:
                for n in self.index.get(alias_keys(al), []):
                    a = self.actors[n]
                    if a.get("generic") or a["category"] == "Source":
                        continue
                    if a["country"] in (None, country) or country is None or a["country"] in also:
                        hit = n
                        break
                if hit is not None:
                    break
        if hit is None:
            if not allow_new or not aliases + acronyms:
                return
            acled = f"{acronyms[0]}: {name}" if acronyms and name not in acronyms else name
            self.actors.append(
                {
                    "name": name,
                    "category": category,
                    "country": country,
                    "acled": acled,
                    "aliases": [],
                    "acronyms": [],
                    "origin": [],
                }
            )
            hit = len(self.actors) - 1
        entry = self.actors[hit]
        have = {alias_keys(x) for x in entry["aliases"] + entry["acronyms"]}
        for lst, field in ((aliases, "aliases"), (acronyms, "acronyms")):
            for al in lst:
                k = alias_keys(al)
                if k not in have:
                    have.add(k)
                    entry[field].append(al)
                    self.index.setdefault(k, []).append(hit)
        if origin not in entry["origin"]:
            entry["origin"].append(origin)

    # -- sources

    def ucdp(self, path: Path) -> int:
        count = 0
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                if row["Org"] != "1" or _FACTION.search(row["NameData"]):
                    continue
                names = [
                    row["NameData"],
                    row["NameOrig"],
                    row["NameOrigFull"],
                    row["NameOrigFullEng"],
                ]
                if row["NameChange"] == "1":
                    names += row["NewName"].split(",") + row["NewNameFullEng"].split(",")
                middle_east = "2" in [r.strip() for r in row["Region"].split(",")]
                aliases, acronyms = self.clean(names, short_acronyms=middle_east)
                if not aliases and not acronyms:
                    continue
                locations = [ucdp_country(x) for x in row["Location"].split(",")]
                country = next(
                    (c for c in UCDP_PREFERRED_COUNTRIES if c in locations), locations[0]
                )
                data_name = row["NameData"].strip()
                name = (
                    data_name if not _ACRONYM.match(data_name) else row["NameOrigFullEng"].strip()
                )
                renamed = [x.strip() for x in row["NewNameFullEng"].split(",") if x.strip()]
                if _ACRONYM.match(data_name) and row["NameChange"] == "1" and renamed:
                    name = renamed[-1]  # the current name: "LRA" is no longer "UDCA"
                if name in acronyms or not name or name.lower() == "n/a":
                    name = aliases[0] if aliases else acronyms[0]
                self.merge(
                    name=name.replace("’", "'"),
                    aliases=aliases,
                    acronyms=acronyms,
                    country=country,
                    category="Rebel Groups",
                    origin=f"ucdp:{row['ActorId']}",
                    also=frozenset(locations),
                )
                count += 1
        return count

    def ofac(self, sdn: Path, alt: Path) -> int:
        names: dict[str, list[str]] = {}
        with sdn.open(encoding="latin-1", newline="") as f:
            for row in csv.reader(f):
                if row and row[0] in OFAC_GROUPS:
                    names.setdefault(row[0], []).insert(0, row[1])
        with alt.open(encoding="latin-1", newline="") as f:
            for row in csv.reader(f):
                if len(row) > 3 and row[0] in OFAC_GROUPS:
                    names.setdefault(row[0], []).append(row[3])
        for ent, raw in names.items():
            target, country, category = OFAC_GROUPS[ent]
            cased = [n if _ACRONYM.match(n.strip()) else proper_case(n) for n in raw]
            aliases, acronyms = self.clean(cased)
            self.merge(
                name=OFAC_NAMES.get(ent) or target or (aliases or acronyms)[0],
                aliases=aliases,
                acronyms=acronyms,
                country=country,
                category=category,
                origin=f"ofac:{ent}",
                target=target,
            )
        return len(names)

    def phoenix_groups(self, path: Path) -> int:
        count = 0
        for root, syns, code in _phoenix_entries(path):
            country = PHOENIX_REGION.get(code[:3])
            if country is None or ("REB" not in code and "IMG" not in code):
                continue
            names = [root, *syns]
            acr = [m.group(1) for n in names for m in [re.search(r"\(([A-Z]{3,8})\)", n)] if m]
            names = [re.sub(r"\s*\([^)]*\)", "", n).strip() for n in names]
            keep = []
            for n in names:
                keys = alias_keys(n)
                known = keys in self.index
                if known or len(keys) >= 3 or (len(keys) == 2 and set(keys) & ARABIC_MARKERS):
                    keep.append(proper_case(n))
            aliases, acronyms = self.clean(keep + acr)
            if not aliases:
                continue
            self.merge(
                name=aliases[0],
                aliases=aliases,
                acronyms=acronyms,
                country=country,
                category="Rebel Groups",
                origin=f"phoenix:{code}",
            )
            count += 1
        return count

    def phoenix_countries(self, path: Path) -> int:
        known = {alias_keys(n) for c in self.data["countries"] for n in c["names"]}
        known |= {alias_keys(c["name"]) for c in self.data["countries"]}
        added = 0
        for root, syns, code in _phoenix_entries(path):
            if not re.fullmatch(r"[A-Z]{3}", code):
                continue
            name = proper_case(root)
            if alias_keys(name) in known or not name:
                continue
            stem = alias_keys(name)[0][:4]
            adjectives: list[str] = []
            for syn in syns:
                word = proper_case(syn)
                k = alias_keys(word)
                adjective = len(k) == 1 and re.search(r"(an|ian|ese|ish|i|ic|ch)$", k[0])
                fits = adjective and k[0].startswith(stem) and k[0] != alias_keys(name)[0]
                if fits and word not in adjectives:
                    adjectives.append(word)
            if not adjectives:
                continue
            entry = {"name": name, "form": name, "adjectives": adjectives, "people": []}
            entry.update(names=[name], capitals=[])
            self.data["countries"].append(entry)
            known.add(alias_keys(name))
            added += 1
        return added


def _phoenix_entries(path: Path) -> list[tuple[str, list[str], str]]:
    """(root name, synonyms, first code) of a TABARI/Phoenix .actors file."""
    out: list[tuple[str, list[str], str]] = []
    root: str | None = None
    syns: list[str] = []
    code = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if text.startswith("+"):
            syns.append(text[1:].replace("_", " ").strip())
            continue
        m = re.search(r"\[([A-Z~]{3,})", text)
        if text[0] in " \t":
            if m and root is not None and not code:
                code = m.group(1)
            continue
        if root is not None:
            out.append((root, syns, code))
        root = re.sub(r"\s*\[.*", "", text).replace("_", " ").strip()
        syns = []
        code = m.group(1) if m else ""
    if root is not None:
        out.append((root, syns, code))
    return out


def write(data: dict[str, Any], path: Path) -> None:
    """Compact JSON, one actor per line (small diffs when the table changes)."""
    head = {k: v for k, v in data.items() if k != "actors"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append('"actors": [')
    rows = [json.dumps(a, ensure_ascii=False) for a in data["actors"]]
    lines.append(",\n".join(rows))
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with ucdp/ ofac/ phoenix/"
    )
    ap.add_argument("--out", type=Path, default=RES / "actors.json")
    args = ap.parse_args(argv)
    curated = json.loads((RES / "actors_curated.json").read_text(encoding="utf-8"))
    b = Builder(curated)
    n_ofac = b.ofac(args.data / "ofac" / "sdn.csv", args.data / "ofac" / "alt.csv")
    n_ucdp = b.ucdp(args.data / "ucdp" / "ucdp-actor-221.csv")
    n_phx = b.phoenix_groups(args.data / "phoenix" / "Phoenix.MilNonState.actors.txt")
    n_cty = b.phoenix_countries(args.data / "phoenix" / "Phoenix.Countries.actors.txt")
    data = dict(curated)
    data["about"] = (
        "GENERATED by scripts/build_actors.py from actors_curated.json (edit that, not this) "
        "+ UCDP actor list v22.1 (CC BY 4.0, Davies, Pettersson & Oberg 2022) + OFAC SDN list "
        "(US government, public domain) + Phoenix/CAMEO dictionaries (MIT, Open Event Data "
        "Alliance). " + curated["about"].split(". ", 1)[1]
    )
    data.pop("stop_aliases", None)
    write(data, args.out)
    size = args.out.stat().st_size
    print(
        f"{args.out}: {len(b.actors)} actors ({n_ofac} OFAC groups, {n_ucdp} UCDP actors, "
        f"{n_phx} Phoenix groups), {len(data['countries'])} countries (+{n_cty}), {size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
