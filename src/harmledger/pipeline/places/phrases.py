"""Finding place phrases: runs of capitalised tokens (cut at titles, without organisation
names, not a person who "said"), and inside a run the longest names the gazetteer knows,
left to right; the fuzzy tier when nothing in a run matched exactly."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from harmledger.gazetteer import Gazetteer, Place, PlaceIndex
from harmledger.pipeline.places.tokens import Tok
from harmledger.pipeline.places.words import PlaceWords

#: Longest place name tried, in tokens ("Umm al Jad wa ath Thalijiyah" is 6).
MAX_NAME_TOKENS = 7


@dataclass(slots=True)
class Phrase:
    """A place phrase of the text: the name's tokens and characters and its gazetteer
    candidates; what the words around it say (:mod:`.around`); and, once resolved, the
    place chosen and the scores of the candidates."""

    i: int  # token index of the name's first token
    j: int  # one past its last token
    start: int
    end: int
    text: str
    sent: int
    candidates: list[Place]
    fuzzy: bool = False
    fuzzy_support: bool = False  # the context supports the fuzzy candidate
    hint: str | None = None  # feature the words ask for ("village", "admin1")
    relation: str | None = None  # "north of", "near"
    part: str | None = None  # "western" in "western Anbar"
    span_start: int = 0  # where the mention's words start (relation or name)
    span_end: int = 0  # where they end (name or feature suffix)
    cue: bool = False  # a locative word or a feature word stands before it
    link: int | None = None  # index of the phrase this one lies near ("X, north of Y")
    link_kind: str | None = None  # "relation" ("X, north of Y") or "within" ("X, Y district")
    link_gap: str = ""  # the words between ("," "in" "of")
    link_to_hint: str | None = None  # the feature word of the phrase linked to ("district")
    country: bool = False  # the phrase names a country
    dateline: bool = False  # in the story's dateline: where it was filed, not an event's place
    #: where the people a protest supports are ("in support of the Palestinian people in
    #: Gaza"): no evidence of where the text is
    aside: bool = False
    #: the provinces and districts the words after it put it in: "Temyrivka, Zaporizhia",
    #: "Tasso (Nikki, Borgou)" (the names of the units the later phrases may be)
    within_units: frozenset[str] = frozenset()
    facility: bool = False  # names a building, road, party or event ("Ahrar Bridge")
    partial: bool = False  # only part of a longer capitalised name ("Bashar" of "Bashar Assad")
    lead: int = 0  # token index where the words before the name start ("the village of")
    tail: int = 0  # token index one past the feature word after the name ("district")
    chosen: Place | None = None
    score: float = 0.0
    scores: list[float] = field(default_factory=list)


def _runs(
    toks: list[Tok], words: PlaceWords, known: Callable[[int, int], bool]
) -> list[tuple[int, int, bool]]:
    """Token ranges [i, j) of capitalised runs, cut at titles, without org names, each
    with a flag saying that the run names an organisation or a facility (see below).

    ``known(i, j)`` says whether the tokens [i, j) are a gazetteer name of a city, a
    province or a landmark as a whole ("Tahrir Square" holds the organisation word
    "tahrir" of "Hayat Tahrir al-Sham" and is still a place)."""
    out: list[tuple[int, int, bool]] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        starts = t.cap and not t.acronym
        if not starts and t.low in words.articles and i + 1 < n:
            nxt = toks[i + 1]
            starts = nxt.cap and not nxt.acronym and nxt.sent == t.sent
        if not starts:
            i += 1
            continue
        j = i + 1
        while j < n and toks[j].sent == t.sent and not toks[j - 1].possessive:
            u = toks[j]
            if u.cap and not u.acronym:
                j += 1
                continue
            if u.low in words.connectors or u.text in "-‐":
                # a connector continues the run only when a capitalised word follows
                k = j + 1
                while k < n and (toks[k].low in words.connectors) and k - j < 3:
                    k += 1
                if k < n and toks[k].cap and not toks[k].acronym and toks[k].sent == t.sent:
                    j = k + 1
                    continue
            break
        org = next(
            (
                k
                for k in range(i, j)
                if toks[k].low in words.org_words or toks[k].low.split("-")[-1] in words.org_words
            ),
            None,
        )
        if org is not None and not known(i, j):
            # "Basra Oil Company", "Mosul University": the words before the organisation
            # word may name its town; "Directorate of Basra province", "University of
            # Sulaimani": the words after "of" name a place
            if org > i:
                out.append((i, org, True))
            of = next((k for k in range(org, j) if toks[k].low == "of"), None)
            if of is not None and of + 1 < j and toks[of + 1].cap:
                out.append((of + 1, j, False))
            i = j
            continue
        # a title cuts the run: what follows it is a person's name; but after a place cue
        # ("the village of Sheikh Ibrahim", "in Imam Gharbi") the title begins a village name,
        # and the run must still resolve in the gazetteer to become a place
        cut = next((k for k in range(i, j) if toks[k].low.rstrip(".") in words.titles), None)
        if cut == i and i > 0 and toks[i - 1].low in words.title_place_cues:
            cut = None
        if cut == i and known(i, j):
            cut = None  # "the Umm Qasr port": a town whose name starts like a person's
        if cut is not None:
            if cut > i:
                out.append((i, cut, False))
            i = j
            continue
        # "Salma said", "Ahmed told": a person
        if j < n and toks[j].low in words.person_verbs:
            i = j
            continue
        out.append((i, j, False))
        i = j
    return out


def find_phrases(text: str, toks: list[Tok], gaz: PlaceIndex, words: PlaceWords) -> list[Phrase]:
    """The place phrases of the text, in text order, each with its gazetteer candidates;
    :func:`.around.read_around` then reads the words around them."""
    phrases: list[Phrase] = []

    def known(i: int, j: int) -> bool:
        """A city, province or landmark; or any place with a name of several words
        ("Baghdad International Airport")."""
        if j - i > MAX_NAME_TOKENS:
            return False
        cands = gaz.lookup(text[toks[i].start : toks[j - 1].end])
        if j - i > 1 and any(c.feature != "country" for c in cands):
            return True
        return any(c.feature in words.bare_ok and c.feature != "country" for c in cands)

    for i0, j0, facility in _runs(toks, words, known):
        first_new = len(phrases)
        i = i0
        while i < j0:
            found = None
            for j in range(min(j0, i + MAX_NAME_TOKENS), i, -1):
                first, last = toks[i], toks[j - 1]
                if last.low in words.connectors or last.low in words.articles:
                    continue
                if j - i == 1 and (
                    first.low in words.stop_words
                    or first.low in words.demonyms
                    or first.low.split("-")[0] in words.demonyms
                ):
                    continue
                if first.low in words.function_words:
                    continue
                name = text[first.start : last.end]
                cands = gaz.lookup(name)
                if cands:
                    found = (j, name, cands)
                    break
            if found is None:
                i += 1
                continue
            j, name, cands = found
            phrases.append(Phrase(i, j, toks[i].start, toks[j - 1].end, name, toks[i].sent, cands))
            i = j
        mine = phrases[first_new:]
        for k, p in enumerate(mine):
            p.facility = facility
            p.partial = _partial(p, mine, toks, i0, j0, words)
            if p.partial and p.j < j0:
                stop = mine[k + 1].i if k + 1 < len(mine) else j0
                _extend(p, text, toks, gaz, stop)
        if j0 < len(toks) and words.feature_suffixes.get((toks[j0].low,)) in _NAMED_SETTLEMENT:
            # "in Nan Mei Khon town": the whole run names one village; a part of it ("Mei",
            # a city 800 km away) is no place
            # (its last words after an article are a name: "Umm ash Yuztiyah village")
            phrases[first_new:] = [
                p
                for p in mine
                if p.j == j0
                and (
                    p.i == i0
                    or toks[p.i - 1].low in words.articles
                    or toks[p.i].low in words.articles
                )
            ]
            mine = phrases[first_new:]
        # the fuzzy tier: the whole run, when nothing in it matched exactly
        if not mine:
            a, b = i0, j0
            while a < b and toks[a].low in words.function_words:
                a += 1
            if a < b and b - a <= MAX_NAME_TOKENS:
                name = text[toks[a].start : toks[b - 1].end]
                single = b - a == 1 and toks[a].low in words.stop_words
                # "Syrian", "Russian": a demonym is never a misspelt place name
                demonym = all(
                    toks[x].low in words.demonyms or toks[x].low.split("-")[0] in words.demonyms
                    for x in range(a, b)
                )
                cands = [] if single or demonym else gaz.lookup_fuzzy(name)
                if cands:
                    phrases.append(
                        Phrase(a, b, toks[a].start, toks[b - 1].end, name, toks[a].sent, cands)
                    )
                    phrases[-1].fuzzy = True
                    phrases[-1].facility = facility
    return phrases


#: the feature words after a run that make the whole run one place's name
_NAMED_SETTLEMENT = frozenset({"village", "town", "city", "area"})


def _extend(p: Phrase, text: str, toks: list[Tok], gaz: PlaceIndex, stop: int) -> None:
    """A name that the gazetteer knows under another spelling of its later words: "Tuz"
    of "Tuz Khurmato" (the gazetteer's "Tuz Khormato"). The longer words are kept when
    their consonant skeleton names one of the places the first words name."""
    ids = {c.id for c in p.candidates}
    for k in range(min(stop, p.i + MAX_NAME_TOKENS), p.j, -1):
        name = text[toks[p.i].start : toks[k - 1].end]
        common = [c for c in gaz.lookup_fuzzy(name) if c.id in ids]
        if common:
            p.j, p.end, p.text, p.candidates, p.partial = k, toks[k - 1].end, name, common, False
            return


def _partial(
    p: Phrase, mine: list[Phrase], toks: list[Tok], i0: int, j0: int, words: PlaceWords
) -> bool:
    """Is ``p`` only a part of a longer name that the gazetteer does not know? A
    capitalised word right after it (or before it) that no other phrase of the run
    covers: "Bashar" of "Bashar Assad", "Salah" of "Salah Eddin neighbourhood"."""
    if p.j < j0 and not any(q.i == p.j for q in mine):
        low = toks[p.j].low
        # "Zain al Abideen", "Anwar al Sadr": an article and a capitalised word that no
        # phrase covers continue a name the gazetteer does not know
        k = p.j + 1
        if (
            low in words.articles
            and k < j0
            and toks[k].cap
            and not any(q.i <= k < q.j for q in mine)
        ):
            return True
        if not (
            low in words.connectors
            or low in words.articles
            or low in words.function_words
            or low in words.adjective_relations
            or low in words.facility_words
            or low in words.facility_gap_words
            or low in words.suffix_heads
            or low in words.compass_words  # "Isiolo South", "Kuria East": part of the unit
        ):
            return True
    if p.i > i0 and not any(q.j == p.i for q in mine):
        low = toks[p.i - 1].low
        if not (
            low in words.function_words
            or low in words.stop_words
            or low in words.cues
            or low in words.articles
            or low.split("-")[0] in words.demonyms
        ):
            return True
    return False


def unknown_names(
    text: str,
    toks: list[Tok],
    gaz: PlaceIndex,
    words: PlaceWords,
    phrases: list[Phrase],
    default: Iterable[str] = (),
) -> list[str]:
    """The capitalised names that a locative word introduces ("protested in Marigat") and
    that no phrase covers: names the loaded places do not know."""

    def known(i: int, j: int) -> bool:
        return bool(gaz.lookup(text[toks[i].start : toks[j - 1].end]))

    # a fuzzy phrase is no knowledge of the name ("Likoni" is not London's "lkn"), unless
    # it finds a spelling in the countries the gazetteer covers in detail ("Kocho") and no
    # place anywhere has the name as written (a village at home shares the consonants of
    # almost any name: "Likoni" is Kenya's, not an Iraqi "Alakinah")
    home = frozenset(default)
    covered = {
        k
        for p in phrases
        if not p.fuzzy
        or (any(c.country in home for c in p.candidates) and not _spelt_anywhere(gaz, p.text))
        for k in range(p.i, p.j)
    }
    out: list[str] = []
    for i, j, facility in _runs(toks, words, known):
        if facility or j - i > MAX_NAME_TOKENS or any(k in covered for k in range(i, j)):
            continue
        cued = i > 0 and toks[i - 1].low in words.cues and toks[i - 1].sent == toks[i].sent
        # "Kahawa residents protested": the people of a place
        people = j < len(toks) and toks[j].sent == toks[i].sent
        people = people and toks[j].low in words.people_words
        if not (cued or people):
            continue
        out.append(text[toks[i].start : toks[j - 1].end])
        # a run through a connector may join the name to a day ("in Likoni on Saturday"):
        # its capitalised head is a name too
        head = next((k for k in range(i + 1, j) if not toks[k].cap), j)
        if head < j:
            out.append(text[toks[i].start : toks[head - 1].end])
        # "Kariobangi South", "Gatundu County": the name without the part or unit word
        last = head - 1
        if last > i and (
            toks[last].low in words.compass_words or (toks[last].low,) in words.feature_suffixes
        ):
            out.append(text[toks[i].start : toks[last - 1].end])
    return out


def _spelt_anywhere(gaz: PlaceIndex, name: str) -> bool:
    """Does some country's detail places have ``name`` as written (``gaz`` a whole
    gazetteer; a view of one answers no)?"""
    return isinstance(gaz, Gazetteer) and bool(gaz.countries_naming(name))


#: the longest person's name read after a title or before an age ("Abdikarin Adan")
MAX_PERSON_TOKENS = 4


def person_names(toks: list[Tok], words: PlaceWords) -> tuple[frozenset[str], frozenset[int]]:
    """The words (lower case) that the text uses as a person's name, and the indices of the
    tokens that name a person so: those after a title ("Mr Liu", "governor Abdikarin Adan";
    not "the village of Sheikh Ibrahim") and a full name before an age ("Niu Tengyu, 20,")
    or a verb of speech ("Liu Xiaobo said"). A place of such a name, named bare elsewhere
    in the text ("Niu was sentenced", "Niu's mother"), is the person
    (:func:`.find_places`)."""
    out: set[str] = set()
    at: set[int] = set()
    n = len(toks)

    def run_from(k: int) -> int:
        """One past the capitalised words from ``k`` (at most MAX_PERSON_TOKENS)."""
        m = k
        while (
            m < n
            and m - k < MAX_PERSON_TOKENS
            and toks[m].cap
            and not toks[m].acronym
            and toks[m].sent == toks[k].sent
        ):
            m += 1
            if toks[m - 1].possessive:
                break
        return m

    i = 0
    while i < n:
        t = toks[i]
        if t.low.rstrip(".") in words.name_titles and i + 1 < n and toks[i + 1].sent == t.sent:
            # a title with a stop ("Rep. Brandon Williams") is a person's, even after a
            # place cue ("in front of Dr. Brandon Williams' office"): no village name has one
            stop = toks[i + 1].text == "." and i + 2 < n
            if stop or not (i > 0 and toks[i - 1].low in words.title_place_cues):
                k0 = i + 2 if stop else i + 1
                end = run_from(k0)
                out.update(toks[k].low for k in range(k0, end))
                at.update(range(k0, end))
            i += 1
            continue
        if t.cap and not t.acronym and (i == 0 or not toks[i - 1].cap):
            end = run_from(i)
            # a name, not an office or a body ("Kirkuk Governor Rakan al-Jabouri said",
            # "Basra Health Directorate said")
            plain = all(
                toks[k].low.rstrip(".") not in words.titles and toks[k].low not in words.org_words
                for k in range(i, end)
            )
            if end - i >= 2 and plain:
                age = (
                    end + 2 < n
                    and toks[end].text == ","
                    and toks[end + 1].text.isdigit()
                    and toks[end + 2].text == ","
                )
                speech = end < n and toks[end].low in words.person_verbs
                if age or speech:
                    out.update(toks[k].low for k in range(i, end))
                    at.update(range(i, end))
            i = max(end, i + 1)
            continue
        i += 1
    return frozenset(out), frozenset(at)
