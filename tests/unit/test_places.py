"""The list of places outside the model regions holds no place that lies in one.

Which districts form (part of) a model region is read from the knowledge (the partners printed
on the slide "Abstimmungsbedarf"; OWL as "Ostwestfalen-Lippe"). Which towns a district has is
not in the documents: the lists below are general geography, the municipality lists of the
districts (Gemeindeverzeichnis NRW). A district named by a region but missing here fails the
test, so a new partner district cannot slip through unchecked.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from index.domain import Knowledge
from index.loader import load
from index.places import gazetteer

DISTRICT_TOWNS: dict[str, set[str]] = {
    "Städteregion Aachen": {
        "Aachen", "Alsdorf", "Baesweiler", "Eschweiler", "Herzogenrath", "Monschau",
        "Roetgen", "Simmerath", "Stolberg", "Würselen",
    },
    "Kreis Recklinghausen": {
        "Castrop-Rauxel", "Datteln", "Dorsten", "Gladbeck", "Haltern am See", "Herten", "Marl",
        "Oer-Erkenschwick", "Recklinghausen", "Waltrop",
    },
    "Kreis Paderborn": {
        "Altenbeken", "Bad Lippspringe", "Bad Wünnenberg", "Borchen", "Büren", "Delbrück",
        "Hövelhof", "Lichtenau", "Paderborn", "Salzkotten",
    },
    "Kreis Soest": {
        "Anröchte", "Bad Sassendorf", "Ense", "Erwitte", "Geseke", "Lippetal", "Lippstadt",
        "Möhnesee", "Rüthen", "Soest", "Warstein", "Welver", "Werl", "Wickede (Ruhr)",
    },
    "Kreis Gütersloh": {
        "Borgholzhausen", "Gütersloh", "Halle (Westf.)", "Harsewinkel", "Herzebrock-Clarholz",
        "Langenberg", "Rheda-Wiedenbrück", "Rietberg", "Schloß Holte-Stukenbrock", "Steinhagen",
        "Verl", "Versmold", "Werther (Westf.)",
    },
    "Kreis Herford": {
        "Bünde", "Enger", "Herford", "Hiddenhausen", "Kirchlengern", "Löhne", "Rödinghausen",
        "Spenge", "Vlotho",
    },
    "Kreis Höxter": {
        "Bad Driburg", "Beverungen", "Borgentreich", "Brakel", "Höxter", "Marienmünster",
        "Nieheim", "Steinheim", "Warburg", "Willebadessen",
    },
    "Kreis Lippe": {
        "Augustdorf", "Bad Salzuflen", "Barntrup", "Blomberg", "Detmold", "Dörentrup",
        "Extertal", "Horn-Bad Meinberg", "Kalletal", "Lage", "Lemgo", "Leopoldshöhe", "Lügde",
        "Oerlinghausen", "Schieder-Schwalenberg", "Schlangen",
    },
    "Kreis Minden-Lübbecke": {
        "Bad Oeynhausen", "Espelkamp", "Hille", "Hüllhorst", "Lübbecke", "Minden",
        "Petershagen", "Porta Westfalica", "Preußisch Oldendorf", "Rahden", "Stemwede",
    },
}  # fmt: skip

# Ostwestfalen-Lippe: the kreisfreie Stadt Bielefeld and six districts.
OWL_DISTRICTS = (
    "Kreis Gütersloh",
    "Kreis Herford",
    "Kreis Höxter",
    "Kreis Lippe",
    "Kreis Minden-Lübbecke",
    "Kreis Paderborn",
)
OWL_NAMES = {"OWL", "Ostwestfalen-Lippe"}
DISTRICT_PREFIXES = ("Kreis ", "Städteregion ")
TOWN_PREFIXES = ("Stadt ", "Städte ")


def _key(name: str) -> str:
    """Casefolded, without accents and a trailing "(Westf.)"-style qualifier."""
    name = re.sub(r"\s*\(.*\)$", "", name).strip()
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.casefold()


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load()


def named_districts(knowledge: Knowledge) -> set[str]:
    """Districts printed as a region's partner, and the OWL districts for the OWL region."""
    found = {p for r in knowledge.regions for p in r.partners if p.startswith(DISTRICT_PREFIXES)}
    for region in knowledge.regions:
        names = {region.name, region.short_name, *region.aliases}
        if any(owl in name for name in names for owl in OWL_NAMES):
            found.update(OWL_DISTRICTS)
    return found


def inside_places(knowledge: Knowledge) -> set[str]:
    """Every name of a place that lies in a model region, as `_key`s."""
    inside: set[str] = set()
    for district in named_districts(knowledge):
        inside.add(_key(district))
        inside.add(_key(district.removeprefix("Kreis ")))  # "Soest", "Lippe"
        inside.update(_key(town) for town in DISTRICT_TOWNS[district])
    for region in knowledge.regions:
        for place in (region.lead_municipality, *region.partners):
            for prefix in TOWN_PREFIXES:
                place = place.removeprefix(prefix)
            inside.add(_key(place))
    return inside


def test_every_district_named_by_a_region_has_its_municipality_list(knowledge: Knowledge):
    assert named_districts(knowledge) - set(DISTRICT_TOWNS) == set()


def test_the_regions_name_the_expected_districts(knowledge: Knowledge):
    """The partners the loader reads include the four printed districts and OWL."""
    assert {
        "Städteregion Aachen",
        "Kreis Recklinghausen",
        "Kreis Paderborn",
        "Kreis Soest",
    } <= named_districts(knowledge)
    assert set(OWL_DISTRICTS) <= named_districts(knowledge)


def test_no_listed_place_lies_in_a_model_region(knowledge: Knowledge):
    inside = inside_places(knowledge)
    wrong = sorted(place for place in gazetteer() if _key(place) in inside)
    assert wrong == []


@pytest.mark.parametrize("place", ["Stolberg", "Werl", "Bad Sassendorf", "Lippstadt", "Minden"])
def test_the_towns_named_in_the_issue_are_recognised_as_inside(knowledge: Knowledge, place: str):
    assert _key(place) in inside_places(knowledge)


def test_places_outside_the_regions_remain(knowledge: Knowledge):
    """Real elsewhere stays listed: other cities, Iserlohn's district (not a partner)."""
    places = set(gazetteer())
    assert {"Köln", "Düsseldorf", "Münster", "Märkischer Kreis", "Lüdenscheid", "Hemer"} <= places
    inside = inside_places(knowledge)
    assert not {_key(p) for p in ("Köln", "Märkischer Kreis", "Lüdenscheid")} & inside
