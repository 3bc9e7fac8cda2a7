#!/usr/bin/env python3
"""Generate gazetteers/countries.yaml and gazetteers/cities.yaml.

Reads the country table (countries-ar-en.tsv) and the GeoNames city table
(cities-geonames15000-ar.tsv) from the shared sources folder, applies the
hand-written corrections in tools/gazgen_overrides.tsv and writes the two
gazetteers in the format described in gazetteers/README.md.

    python3 tools/gazgen.py                      # regenerate both files
    python3 tools/gazgen.py --sources DIR        # read the sources from DIR
    python3 tools/gazgen.py --report-corpus FILE # list false-friend candidates

Standard library only. The output is deterministic: countries are sorted by
id, cities by country id, then by descending population, then GeoNames id.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = REPO.parent / "shared" / "data" / "sources"
DEFAULT_OVERRIDES = Path(__file__).resolve().parent / "gazgen_overrides.tsv"
COUNTRIES_FILE = "countries-ar-en.tsv"
CITIES_FILE = "cities-geonames15000-ar.tsv"

# ---------------------------------------------------------------------------
# Which rows of the country table become entries
# ---------------------------------------------------------------------------

# Codes the source uses that are not ISO 3166-1 alpha-3. Kosovo has no ISO code;
# XKX is the user-assigned code used by the EU, the IMF and most data sets.
ISO3_FIX = {"UNK": "XKX"}

# Uninhabited or research-only territories: no entry.
EXCLUDED = {"ATA", "BVT", "HMD", "UMI", "ATF", "SGS"}

# Entries that are not UN member states. Everything else in the table (after
# EXCLUDED) must be a member: the generator checks that there are exactly 193.
NON_MEMBERS = {
    # observers and states with limited recognition
    "PSE", "VAT", "TWN", "XKX", "ESH",
    # dependent territories and special administrative regions
    "ABW", "AIA", "ALA", "ASM", "BES", "BLM", "BMU", "CCK", "COK", "CUW",
    "CXR", "CYM", "FLK", "FRO", "GGY", "GIB", "GLP", "GRL", "GUF", "GUM",
    "HKG", "IMN", "IOT", "JEY", "MAC", "MAF", "MNP", "MSR", "MTQ", "MYT",
    "NCL", "NFK", "NIU", "PCN", "PRI", "PYF", "REU", "SHN", "SJM", "SPM",
    "SXM", "TCA", "TKL", "VGB", "VIR", "WLF",
}

# Non-members whose nisba is derived like a member's; the other territories
# get adjectives only from the overrides (derived forms such as أروبي for Aruba
# would be rare spellings of common words).
AUTO_NISBA_NON_MEMBERS = {"TWN", "VAT"}

# City-states and territories whose capital is the whole entry: no separate city.
CITY_STATES = {"VAT", "HKG", "MAC", "GIB"}

# ---------------------------------------------------------------------------
# Arabic normalisation (the matching key of ARABIC.md section 1.3, used here to
# compare names; the gazetteers themselves keep ordinary spelling)
# ---------------------------------------------------------------------------

_DELETE = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]"
)
_FOLD = str.maketrans({
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064a", "\u06cc": "\u064a", "\u06d2": "\u064a",
    "\u0629": "\u0647",
    "\u06a9": "\u0643", "\u06af": "\u0643", "\u06ad": "\u0643", "\u0763": "\u0643",
    "\u06c0": "\u0647", "\u06c1": "\u0647", "\u06d5": "\u0647",
    "\u067e": "\u0628", "\u06a4": "\u0641", "\u0686": "\u062c", "\u06a8": "\u0642",
})



# Arab League states, their neighbours in the news every day, and the great powers' capitals
# region is not needed: big cities abroad stay free of context (see SMALL_ABROAD).
HOME_REGION = {
    "DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT", "MAR", "OMN",
    "PSE", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM", "IRN", "TUR", "ISR", "ESH",
}
# Towns abroad below this population need a cue or their country named.
SMALL_ABROAD = 150_000

def strip_diacritics(text: str) -> str:
    """Remove harakat, shadda, sukun, dagger alef, Quranic marks and tatweel."""
    return _DELETE.sub("", unicodedata.normalize("NFKC", text))


def norm_ar(text: str) -> str:
    """Matching key: diacritics removed, alef/yeh/teh marbuta and Persian letters folded."""
    return " ".join(strip_diacritics(text).translate(_FOLD).split())


def is_arabic_letter(ch: str) -> bool:
    return "\u0620" <= ch <= "\u064a" or "\u066e" <= ch <= "\u06d3" or "\u06fa" <= ch <= "\u06ff"


def letter_count(text: str) -> int:
    return sum(1 for ch in strip_diacritics(text) if is_arabic_letter(ch))


def ascii_fold(text: str) -> str:
    """Latin text without diacritics, apostrophe-like marks kept as ASCII apostrophes."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    text = text.replace("\u02bb", "'").replace("\u02bf", "'").replace("\u02be", "'")
    text = text.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o")
    text = text.replace("Ø", "O").replace("đ", "d").replace("Đ", "D").replace("ß", "ss")
    text = text.replace("æ", "ae").replace("Æ", "Ae").replace("œ", "oe").replace("þ", "th")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(text: str) -> str:
    text = ascii_fold(text).lower().replace("'", "").replace("`", "")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text


def norm_en(text: str) -> str:
    return " ".join(ascii_fold(text).lower().split())


def place_key(text: str) -> str:
    """English place name compared loosely: St./Saint, hyphens and apostrophes alike."""
    text = re.sub(r"\bst\.?(?=\s)", "saint", norm_en(text))
    return re.sub(r"[^a-z0-9]+", "", text)


# ---------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------


@dataclass
class Overrides:
    """Hand-written corrections, read from tools/gazgen_overrides.tsv.

    Every record is `scope<TAB>key<TAB>field<TAB>value[<TAB>note]`; lists inside
    value are separated by `|`. See the head of that file for the fields.
    """

    country: dict = field(default_factory=lambda: collections.defaultdict(lambda: collections.defaultdict(list)))
    city: dict = field(default_factory=lambda: collections.defaultdict(lambda: collections.defaultdict(list)))
    # normalised Arabic / lower-case English name -> reason
    false_friend_ar: dict = field(default_factory=dict)
    false_friend_en: dict = field(default_factory=dict)
    drop_ar: dict = field(default_factory=dict)
    # normalised Arabic name -> GeoNames id of the city that keeps it
    owner_ar: dict = field(default_factory=dict)
    extra_cities: list = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "Overrides":
        ov = cls()
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < 4:
                    sys.exit(f"{path}:{lineno}: expected scope, key, field, value separated by tabs")
                scope, key, fld, value = (c.strip() for c in cols[:4])
                note = cols[4].strip() if len(cols) > 4 else ""
                values = [v.strip() for v in value.split("|") if v.strip()] if value else []
                where = f"{path.name}:{lineno}"
                if scope == "country":
                    ov.country[key][fld].append((values, note, where))
                elif scope == "city":
                    ov.city[key][fld].append((values, note, where))
                elif scope == "false-friend" and key == "ar":
                    for v in values:
                        ov.false_friend_ar[norm_ar(v)] = note or fld
                elif scope == "false-friend" and key == "en":
                    for v in values:
                        ov.false_friend_en[norm_en(v)] = note or fld
                elif scope == "drop" and key == "ar":
                    for v in values:
                        ov.drop_ar[norm_ar(v)] = note or fld
                elif scope == "owner" and key == "ar":
                    for v in values:
                        ov.owner_ar[norm_ar(v)] = fld
                elif scope == "extra-city":
                    ov.extra_cities.append((key, fld, values, note, where))
                else:
                    sys.exit(f"{where}: unknown record scope {scope!r}")
        return ov

    def get(self, scope: str, key: str, fld: str) -> list:
        table = self.country if scope == "country" else self.city
        out: list = []
        for values, _note, _where in table.get(key, {}).get(fld, []):
            out.extend(values)
        return out

    def has(self, scope: str, key: str, fld: str) -> bool:
        table = self.country if scope == "country" else self.city
        return fld in table.get(key, {})

    def note(self, scope: str, key: str, fld: str) -> str:
        table = self.country if scope == "country" else self.city
        notes = [n for _v, n, _w in table.get(key, {}).get(fld, []) if n]
        return "; ".join(notes)


# ---------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------

# Words that mark an alternative spelling from the source as an English
# official-style name ("Kingdom of Sweden", "Slovak Republic").
_EN_OFFICIAL_WORDS = re.compile(
    r"\b(Republic|Kingdom|State|States|Federation|Commonwealth|Union|Principality|"
    r"Islands|Island|Territory|Sultanate|Emirates|Confederation|Duchy)\b"
)


@dataclass
class Country:
    id: str
    iso2: str
    name: str
    wikidata: str | None
    capital_name: str
    member: bool
    names_en: list
    names_ar: list
    adjectives_en: list
    adjectives_ar: list
    plurals_ar: list
    context: str | None = None
    clitics: str | None = None
    capital: str | None = None


def unique(seq, key=lambda x: x):
    seen = set()
    out = []
    for item in seq:
        k = key(item)
        if k in seen or not item:
            continue
        seen.add(k)
        out.append(item)
    return out


def clean_country_ar(name: str) -> list:
    """Split source spellings such as 'ميانمار (بورما)' or 'الكونغو - كينشاسا'."""
    name = name.strip()
    out = []
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name)
    if m:
        out.append(m.group(1))
        inner = m.group(2)
        if not re.search(r"منطقة|إدارية", inner) and " " not in inner.strip():
            out.append(inner)
    else:
        out.append(name)
    result = []
    for n in out:
        n = re.sub(r"\s+-\s+", " ", n)
        n = " ".join(n.split())
        if n:
            result.append(n)
    return result


def derive_nisba(name: str) -> str | None:
    """Nisba stem following ARABIC.md section 3.2 (single-word names only)."""
    if " " in name:
        return None
    stem = name[2:] if name.startswith("ال") else name
    if stem.endswith("ي"):
        return stem
    if stem.endswith("و"):
        return None
    for suffix in ("ية", "يا", "ا", "ة"):
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
            break
    return stem + "ي"


_NO_EN_PLURAL = ("ese", "sh", "ch", "s", "x", "z", "y", "ic", "be")


def english_demonyms(raw: str) -> list:
    out = []
    for part in re.split(r",\s*|\s+or\s+", raw):
        part = part.strip()
        if not part:
            continue
        out.append(part)
        if part.endswith(_NO_EN_PLURAL) and not part.endswith("Czech"):
            continue
        out.append(part + "s")
    return out


def read_tsv(path: Path) -> list:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def build_countries(rows: list, ov: Overrides) -> tuple[list, dict]:
    countries = []
    iso2_to_iso3 = {}
    for r in rows:
        cid = ISO3_FIX.get(r["iso3"], r["iso3"])
        iso2_to_iso3[r["iso2"]] = cid
        if cid in EXCLUDED:
            continue
        g = lambda fld: ov.get("country", cid, fld)  # noqa: E731
        name = (g("name") or [r["en_common"]])[0]

        # English names: common, official, the English-looking alternative
        # spellings of the source, and the hand-written additions.
        alts = []
        for alt in r["en_alt_spellings"].split("|"):
            alt = alt.strip()
            if not alt or not alt.isascii() or "," in alt or "(" in alt:
                continue
            if " " in alt and _EN_OFFICIAL_WORDS.search(alt) and not re.search(r"\b(Republika|Repubblica|Republik)\b", alt):
                alts.append(alt)
        # `en-`/`ar-` remove source spellings; `en+`/`ar+` are added after that,
        # so a name can be respelt by removing it and adding it back.
        drop_en = {norm_en(x) for x in g("en-")}
        names_en = [n for n in [name, r["en_common"], r["en_official"]] + alts
                    if norm_en(n) not in drop_en and (n.isascii() or n == name)]
        names_en = unique(names_en + g("en+"), key=norm_en)

        names_ar = []
        for col in ("ar_cldr", "ar_cldr_alt", "ar_mledoze_common", "ar_mledoze_official", "ar_i18n_iso"):
            if r[col]:
                names_ar.extend(clean_country_ar(r[col]))
        drop_ar = {norm_ar(x) for x in g("ar-")}
        names_ar = [n for n in names_ar if norm_ar(n) not in drop_ar]
        names_ar = unique(names_ar + g("ar+"), key=norm_ar)

        if ov.has("country", cid, "adj-en"):
            adj_en = g("adj-en")
        else:
            adj_en = english_demonyms(r["en_demonym_m"]) if r["en_demonym_m"] else []
            adj_en += g("adj-en+")
        adj_en = [a for a in adj_en if norm_en(a) not in {norm_en(n) for n in names_en}]
        adj_en = unique(adj_en, key=norm_en)

        if ov.has("country", cid, "nisba"):
            nisba = g("nisba")
        elif cid in NON_MEMBERS and cid not in AUTO_NISBA_NON_MEMBERS:
            nisba = []
        else:
            first = names_ar[0] if names_ar else ""
            stem = derive_nisba(first)
            nisba = [stem] if stem else []
        nisba = unique(nisba, key=norm_ar)

        ctx = ov.note("country", cid, "context") if ov.has("country", cid, "context") else None
        clit = ov.note("country", cid, "clitics") if ov.has("country", cid, "clitics") else None
        wd = (g("wikidata") or [None])[0]
        countries.append(Country(
            id=cid, iso2=r["iso2"], name=name, wikidata=wd,
            capital_name=(g("capital-name") or [r["en_capital"].split("|")[0]])[0],
            member=cid not in NON_MEMBERS,
            names_en=names_en, names_ar=names_ar, adjectives_en=adj_en,
            adjectives_ar=nisba, plurals_ar=unique(g("plural"), key=norm_ar),
            context=ctx, clitics=clit,
        ))
    members = [c for c in countries if c.member]
    if len(members) != 193:
        sys.exit(f"expected 193 UN member states, found {len(members)}: check NON_MEMBERS")
    resolve_country_conflicts(countries)
    countries.sort(key=lambda c: c.id)
    return countries, iso2_to_iso3


def resolve_country_conflicts(countries: list) -> None:
    """A name or adjective may point at one country only.

    A UN member keeps a form it shares with a territory (French, Dutch, American);
    two members sharing a form is an error to settle in the overrides.
    """
    kinds = [
        ("names_en", norm_en), ("adjectives_en", norm_en),
        ("names_ar", norm_ar), ("adjectives_ar", norm_ar), ("plurals_ar", norm_ar),
    ]
    owners: dict = collections.defaultdict(list)
    for c in countries:
        for attr, key in kinds:
            for v in getattr(c, attr):
                owners[key(v)].append((c, attr, v))
    problems = []
    for k, holders in owners.items():
        ids = {c.id for c, _a, _v in holders}
        if len(ids) < 2:
            continue
        members = {c.id for c, _a, _v in holders if c.member}
        if len(members) > 1:
            problems.append(f"{k!r} used by {sorted(ids)}")
            continue
        keep = members or {sorted(ids)[0]}
        for c, attr, v in holders:
            if c.id not in keep:
                setattr(c, attr, [x for x in getattr(c, attr) if x != v])
    if problems:
        sys.exit("ambiguous country names or adjectives (settle them in the overrides):\n  "
                 + "\n  ".join(sorted(problems)))


# ---------------------------------------------------------------------------
# Cities
# ---------------------------------------------------------------------------


@dataclass
class City:
    geonames: int | None
    name: str
    country: str
    population: int
    admin1: str
    names_en: list
    names_ar: list
    id: str = ""
    capital_of: str | None = None
    context: list = field(default_factory=list)
    clitics: str | None = None
    notes: list = field(default_factory=list)
    extra: bool = False


_NON_ARABIC_LANGUAGE = re.compile("[\u06c6\u06c7\u06c8\u06cb\u06d0\u06ce\u06b5\u0695\u06d5]")
_ADMIN_PREFIX = re.compile(r"^(ولاية|محافظة|محافظه|إمارة|امارة|مقاطعة|إقليم|اقليم|لواء|قضاء|ناحية|جزيرة .* وجزر)\s")


def clean_city_ar(raw: str) -> tuple[list, list]:
    """Arabic-script names from the source, with the unusable ones removed.

    Returns (kept, dropped-with-reason).
    """
    kept, dropped = [], []
    for name in raw.split("|"):
        name = " ".join(name.split())
        if not name:
            continue
        bare = strip_diacritics(name)
        reason = None
        if any(not (is_arabic_letter(ch) or ch in " -") for ch in bare):
            reason = "not Arabic script"
        elif letter_count(name) < 3:
            reason = "shorter than 3 letters"
        elif _NON_ARABIC_LANGUAGE.search(bare) or bare.startswith("ئ") or re.search("[ىة](?=\\S)", bare):
            reason = "Uyghur or Kurdish spelling"
        elif re.search(r"(.)\1\1", bare):
            reason = "repeated letter (typo)"
        elif _ADMIN_PREFIX.match(bare):
            reason = "name of the province, not the city"
        if reason:
            dropped.append((name, reason))
        else:
            kept.append(name)
    return kept, dropped


def city_key(x: "City") -> str:
    """How the overrides name a city: its GeoNames id, or ISO3:Name for an extra city."""
    return str(x.geonames) if x.geonames and not x.extra else f"{x.country}:{x.name}"


def spelling_rank(name: str) -> int:
    """Prefer the spelling with hamza seats and teh marbuta written out."""
    return -sum(name.count(ch) for ch in "أإآؤئة")


def build_cities(rows: list, countries: list, iso2_to_iso3: dict, ov: Overrides) -> list:
    by_id = {c.id: c for c in countries}
    country_ar = {}
    country_en = {}
    for c in countries:
        for n in c.names_ar:
            country_ar[norm_ar(n)] = c.id
        # nisba and plural forms as the loader generates them (ARABIC.md 3.1)
        for stem in c.adjectives_ar:
            for form in (stem, stem + "ة", stem + "ون", stem + "ين", stem + "ات"):
                country_ar[norm_ar(form)] = c.id
                country_ar[norm_ar("ال" + form)] = c.id
        for n in c.plurals_ar:
            country_ar[norm_ar(n)] = c.id
            country_ar[norm_ar("ال" + n)] = c.id
        for n in c.names_en + c.adjectives_en:
            country_en[norm_en(n)] = c.id

    cities = []
    for r in rows:
        gid = r["geonameid"]
        if ov.has("city", gid, "drop"):
            continue
        cid = iso2_to_iso3[r["country_iso2"]]
        if cid not in by_id:
            sys.exit(f"city {gid} {r['name_en']}: country {cid} has no entry")
        name = (ov.get("city", gid, "name") or [r["name_en"]])[0]
        kept, _unusable = clean_city_ar(r["arabic_script_names"])
        cities.append(City(
            geonames=int(gid), name=name, country=cid, population=int(r["population"] or 0),
            admin1=r["admin1"], names_en=[name, r["name_en"]], names_ar=kept,
        ))
    for key, fld, values, note, where in ov.extra_cities:
        # extra-city <TAB> ISO3 <TAB> English name <TAB> Arabic names <TAB> note
        if key not in by_id:
            sys.exit(f"{where}: unknown country {key}")
        gid_vals = ov.get("city", f"{key}:{fld}", "geonames")
        cities.append(City(
            geonames=int(gid_vals[0]) if gid_vals else None, name=fld, country=key,
            population=0, admin1="", names_en=[fld], names_ar=list(values), extra=True,
        ))

    # Capitals.
    for c in countries:
        want = ov.get("country", c.id, "capital")
        cands = [x for x in cities if x.country == c.id]
        match = None
        if want:
            match = next((x for x in cands if str(x.geonames) == want[0] or x.name == want[0]), None)
        if match is None and c.capital_name:
            target = norm_en(c.capital_name)
            exact = [x for x in cands if norm_en(x.name) == target]
            match = max(exact, key=lambda x: x.population, default=None)
        if match is None and c.id in CITY_STATES:
            continue
        if match is None:
            print(f"warning: no city entry for the capital of {c.id} ({c.capital_name})", file=sys.stderr)
            continue
        match.capital_of = c.id

    for x in cities:
        key = city_key(x)
        g = lambda fld: ov.get("city", key, fld)  # noqa: E731
        drop_en = set(g("en-"))  # exact spellings: "Male" goes, "Malé" stays
        x.names_en = x.names_en + g("en+")
        x.names_en += [ascii_fold(n) for n in x.names_en if not n.isascii()]
        x.names_en = unique([n for n in x.names_en if n not in drop_en], key=lambda n: n)
        drop = {norm_ar(n) for n in g("ar-")}
        x.names_ar = [n for n in x.names_ar if norm_ar(n) not in drop] + g("ar+")
        if ov.has("city", key, "context"):
            x.context.append(ov.note("city", key, "context") or "hand-checked false friend")
        if ov.has("city", key, "clitics"):
            x.clitics = ov.note("city", key, "clitics") or "short name"
        # A three-letter name abroad behind a proclitic is mostly a word: بنوك is ب + نوك.
        if (x.country not in HOME_REGION and not x.clitics
                and any(len(norm_ar(n).replace(" ", "")) <= 3 for n in x.names_ar)):
            x.clitics = "three-letter name abroad: ب/و/ل + name is mostly a word"

    # Names that belong to a country, or are listed as unusable.
    for x in cities:
        kept_ar = []
        for n in x.names_ar:
            k = norm_ar(n)
            if k in ov.drop_ar and n not in ov.get("city", city_key(x), "ar+"):
                x.notes.append(f"dropped {n}: {ov.drop_ar[k]}")
            elif k in country_ar and n not in ov.get("city", city_key(x), "ar+"):
                x.notes.append(f"dropped {n}: name of {country_ar[k]}")
                if not x.capital_of:
                    x.context.append(f"its Arabic name {n} is also the name of {country_ar[k]}")
            else:
                kept_ar.append(n)
        # one spelling per matching key; prefer hamza seats and teh marbuta
        groups: dict = collections.OrderedDict()
        for n in kept_ar:
            groups.setdefault(norm_ar(n), []).append(n)
        x.names_ar = [min(v, key=spelling_rank) for v in groups.values()]
        kept_en = []
        for n in x.names_en:
            k = norm_en(n)
            if k in country_en and n not in ov.get("city", city_key(x), "en+"):
                x.notes.append(f"dropped {n}: name of {country_en[k]}")
                if not x.capital_of:
                    x.context.append(f"its English name {n} is also the name of {country_en[k]}")
            else:
                kept_en.append(n)
        x.names_en = kept_en

    # A name shared by several cities stays with the most important one (the
    # capital, then the bigger city, or the one named in the overrides). A city
    # of the same English name keeps it too but needs context (Alexandria, VA;
    # Tripoli, Lebanon). A differently named city loses it when the owner is a
    # capital or five times bigger: such shared Arabic names are mostly wrong
    # aliases in the source (Mesquite, Texas as موسكو); otherwise both keep it.
    for lang, names_of, key in (("ar", "names_ar", norm_ar), ("en", "names_en", norm_en)):
        holders: dict = collections.defaultdict(list)
        for x in cities:
            for n in getattr(x, names_of):
                if x not in holders[key(n)]:
                    holders[key(n)].append(x)
        for k, xs in holders.items():
            if len(xs) < 2:
                continue
            forced = ov.owner_ar.get(k) if lang == "ar" else None
            owner = next((x for x in xs if str(x.geonames) == forced), None) if forced else None
            if owner is None:
                owner = max(xs, key=lambda x: (x.capital_of is not None, x.population, -(x.geonames or 0)))
            for x in xs:
                if x is owner:
                    continue
                same_city_name = place_key(x.name) == place_key(owner.name)
                keep_shared = same_city_name or ov.has("city", city_key(x), "keep-shared")
                if not keep_shared and (owner.capital_of or forced or owner.population >= 5 * x.population):
                    setattr(x, names_of, [n for n in getattr(x, names_of) if key(n) != k])
                    x.notes.append(f"dropped {k}: name of {owner.name} ({owner.country})")
                else:
                    x.context.append(f"{k} is also {owner.name} ({owner.country})")

    # Hand-checked false friends (capitals are not marked: they are what the name means).
    for x in cities:
        if x.capital_of:
            continue
        for n in x.names_ar:
            reason = ov.false_friend_ar.get(norm_ar(n))
            if reason:
                x.context.append(f"{n}: {reason}")
        for n in x.names_en:
            reason = ov.false_friend_en.get(norm_en(n))
            if reason:
                x.context.append(f"{n}: {reason}")
        # A small town far from the region Arabic news covers every day is named mostly when
        # it is in the news for its country; the same Arabic letters are far more often a
        # person (تايلور, روزفلت) or a word (بورصة, مالية). It counts with a cue or its
        # country named in the same document.
        if (x.country not in HOME_REGION and 0 < x.population < SMALL_ABROAD
                and not x.extra):
            x.context.append(f"small town abroad (population {x.population:,})")
        if ov.has("city", city_key(x), "no-context"):
            x.context = []

    # A city left without an English name lost it to a country or a bigger
    # namesake; its Arabic names are then the same collision in other spelling.
    nameless = [x for x in cities if not x.names_en]
    for x in nameless:
        if x.capital_of and x.capital_of not in CITY_STATES:
            sys.exit(f"capital {x.name} ({x.country}) has no name left: give it one in the overrides")
    cities = [x for x in cities if x.names_en]
    if nameless:
        print(f"note: {len(nameless)} cities left out, every name of theirs belongs to a country "
              f"or a bigger city: {', '.join(f'{x.name} ({x.country})' for x in nameless)}", file=sys.stderr)

    assign_city_ids(cities, by_id)
    cities.sort(key=lambda x: (x.country, -x.population, x.geonames or 0, x.name))
    return cities


def assign_city_ids(cities: list, countries: dict) -> None:
    """Slug of the English name; on a clash the capital, then the most populous
    city keeps the bare slug and the others get -<iso3>, then -<iso3>-<admin1>,
    then -<iso3>-<geonames id>."""
    by_slug: dict = collections.defaultdict(list)
    for x in cities:
        by_slug[slug(x.name)].append(x)
    taken = set(countries)
    for s, xs in sorted(by_slug.items()):
        xs.sort(key=lambda x: (x.capital_of is None, -x.population, x.geonames or 0))
        for i, x in enumerate(xs):
            cand = s if i == 0 else f"{s}-{x.country.lower()}"
            if cand in taken:
                cand = f"{s}-{x.country.lower()}-{slug(x.admin1)}" if x.admin1 else cand
            if cand in taken:
                cand = f"{s}-{x.country.lower()}-{x.geonames}"
            if cand in taken:
                sys.exit(f"cannot give {x.name} ({x.country}) a unique id")
            taken.add(cand)
            x.id = cand


# ---------------------------------------------------------------------------
# YAML output
# ---------------------------------------------------------------------------


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON escaping is a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def flow(items: list) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


HEADER = (
    "# Generated by tools/gazgen.py from ../shared/data/sources/{src}\n"
    "# and tools/gazgen_overrides.tsv. Do not edit by hand: change the overrides and rerun\n"
    "#   python3 tools/gazgen.py\n"
    "# Sources and licences: gazetteers/SOURCES.md.\n"
)


def write_countries(countries: list, path: Path) -> None:
    out = [HEADER.format(src=COUNTRIES_FILE)]
    for c in countries:
        out.append(f"\n- id: {c.id}\n")
        out.append("  type: country\n")
        out.append(f"  name: {q(c.name)}\n")
        if c.wikidata:
            out.append(f"  wikidata: {c.wikidata}\n")
        out.append(f"  country: {c.id}\n")
        if c.capital:
            out.append(f"  capital: {q(c.capital)}\n")
        out.append("  names:\n")
        out.append(f"    en: {flow(c.names_en)}\n")
        out.append(f"    ar: {flow(c.names_ar)}\n")
        if c.adjectives_en or c.adjectives_ar:
            out.append("  adjectives:\n")
            if c.adjectives_en:
                out.append(f"    en: {flow(c.adjectives_en)}\n")
            if c.adjectives_ar:
                out.append(f"    ar: {flow(c.adjectives_ar)}\n")
        if c.plurals_ar:
            out.append("  plurals:\n")
            out.append(f"    ar: {flow(c.plurals_ar)}\n")
        if c.clitics is not None:
            out.append(f"  clitics: false  # {c.clitics}\n" if c.clitics else "  clitics: false\n")
        if c.context is not None:
            out.append(f"  context: true  # {c.context}\n" if c.context else "  context: true\n")
    path.write_text("".join(out), encoding="utf-8")


def write_cities(cities: list, path: Path) -> None:
    out = [HEADER.format(src=CITIES_FILE + " and " + COUNTRIES_FILE)]
    for x in cities:
        out.append(f"\n- id: {q(x.id)}\n")
        out.append("  type: city\n")
        out.append(f"  name: {q(x.name)}\n")
        out.append(f"  country: {x.country}\n")
        if x.geonames:
            out.append(f"  geonames: {x.geonames}\n")
        if x.capital_of:
            out.append(f"  # capital of {x.capital_of}\n")
        out.append("  names:\n")
        out.append(f"    en: {flow(x.names_en)}\n")
        if x.names_ar:
            out.append(f"    ar: {flow(x.names_ar)}\n")
        if x.clitics:
            out.append(f"  clitics: false  # {x.clitics}\n")
        if x.context:
            reasons = unique(x.context)
            out.append(f"  context: true  # {'; '.join(reasons)}\n")
    path.write_text("".join(out), encoding="utf-8")


# ---------------------------------------------------------------------------
# Development aid: false-friend candidates from a news corpus
# ---------------------------------------------------------------------------

_TOKEN = re.compile(r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u06fa-\u06ff]+")
_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")


def report_corpus(corpus: Path, cities: list, limit: int) -> None:
    """Print, for every city, how often its Arabic names occur as whole tokens
    (with the usual proclitics) in a JSON-lines corpus with a `text` field.

    The counts only point at names to read in context; they never add names.
    """
    single: collections.Counter = collections.Counter()
    ngrams: collections.Counter = collections.Counter()
    wanted_n = collections.defaultdict(set)
    for x in cities:
        for n in x.names_ar:
            toks = norm_ar(n).split()
            if len(toks) > 1:
                wanted_n[len(toks)].add(tuple(toks))
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text", "")
            toks = _TOKEN.findall(norm_ar(text))
            single.update(toks)
            for n, grams in wanted_n.items():
                for i in range(len(toks) - n + 1):
                    t = tuple(toks[i:i + n])
                    if t in grams:
                        ngrams[t] += 1

    def count(name: str) -> int:
        toks = norm_ar(name).split()
        if len(toks) > 1:
            return ngrams[tuple(toks)]
        w = toks[0]
        total = sum(single[p + w] for p in _PREFIXES)
        if w.startswith("ال"):
            rest = w[2:]
            lam = "ل" + rest if rest.startswith("ل") else "لل" + rest
            total += sum(single[p + lam] for p in ("", "و", "ف"))
        return total

    rows = []
    for x in cities:
        for n in x.names_ar:
            rows.append((count(n), x.population, n, x))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    print("count\tname\tcity\tcountry\tpopulation\tcapital\tcontext")
    for cnt, pop, n, x in rows[:limit]:
        print(f"{cnt}\t{n}\t{x.name}\t{x.country}\t{pop}\t{'capital' if x.capital_of else ''}\t"
              f"{'context' if x.context else ''}")


# ---------------------------------------------------------------------------


def main(argv: list | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                    help="folder with countries-ar-en.tsv and cities-geonames15000-ar.tsv")
    ap.add_argument("--overrides", type=Path, default=DEFAULT_OVERRIDES)
    ap.add_argument("--out", type=Path, default=REPO / "gazetteers", help="output folder")
    ap.add_argument("--report-corpus", type=Path, metavar="JSONL",
                    help="do not write; print corpus frequencies of city names instead")
    ap.add_argument("--limit", type=int, default=400, help="rows of --report-corpus")
    args = ap.parse_args(argv)

    for f in (COUNTRIES_FILE, CITIES_FILE):
        if not (args.sources / f).is_file():
            print(f"error: {args.sources / f} not found (use --sources DIR)", file=sys.stderr)
            return 1
    ov = Overrides.load(args.overrides)
    countries, iso2_to_iso3 = build_countries(read_tsv(args.sources / COUNTRIES_FILE), ov)
    cities = build_cities(read_tsv(args.sources / CITIES_FILE), countries, iso2_to_iso3, ov)
    capitals = {x.capital_of: x.id for x in cities if x.capital_of}
    for c in countries:
        c.capital = capitals.get(c.id)

    if args.report_corpus:
        report_corpus(args.report_corpus, cities, args.limit)
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    write_countries(countries, args.out / "countries.yaml")
    write_cities(cities, args.out / "cities.yaml")
    n_ctx = sum(1 for x in cities if x.context)
    print(f"countries.yaml: {len(countries)} entries; cities.yaml: {len(cities)} entries, "
          f"{n_ctx} with context: true", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
