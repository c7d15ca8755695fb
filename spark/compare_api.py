#!/usr/bin/env python3
"""Asks two running `sitrep serve` instances the same questions and checks
they answer alike: the SQLite store `sitrep ingest` built and the
PostgreSQL store `sitrep load` filled from the Spark backfill.

    python spark/compare_api.py http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B

Every answer must be equal as JSON, except full-text search, which each
database ranks and cuts snippets for in its own way: there the same
articles must be found. Exits 1 naming what differs.
"""
import json
import sys
import urllib.parse
import urllib.request


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return json.load(r)


def questions(base):
    """The questions: fixed ones, plus ones about what the store holds."""
    qs = [
        "/api/counts",
        "/api/events?limit=1000",
        "/api/events?limit=200&sort=date-asc",
        "/api/events?limit=200&sort=sources",
        "/api/events?limit=200&sort=confidence",
        "/api/events?limit=50&offset=40",
        "/api/events?plover=CONFLICT&limit=500",
        "/api/events?cameo=19&limit=500",
        "/api/events?country=UA&limit=500",
        "/api/events?near=49.99,36.23&km=100&limit=500",
        "/api/events?bbox=30,44,40,52&limit=500",
        "/api/events?q=shelling&limit=500",
        "/api/events?actor=UKR&limit=500",
        "/api/events?modality=reported&limit=500",
        "/api/events?originals=true&limit=500",
        "/api/events?from=2025-01-01&to=2025-02-15&limit=500",
        "/api/events/timeline",
        "/api/events/timeline?country=SD",
        "/api/events/grid?cell=1",
        "/api/events/grid?cell=0.25&plover=CONFLICT",
        "/api/clusters?limit=1000",
        "/api/articles?limit=1000",
        "/api/articles?q=drones&limit=100",
        "/api/places?limit=1000",
        "/api/places?name=Kh&limit=100",
        "/api/quotes?limit=1000",
        "/api/quotes?direct=true&limit=200",
        "/api/claims?limit=1000",
        "/api/claims?kind=casualties&limit=200",
        "/api/disputes",
        "/api/export/geojson?country=UA",
        "/api/export/acled",
    ]
    clusters = get(base, "/api/clusters?limit=20")
    for c in clusters.get("rows", clusters.get("clusters", []))[:10]:
        qs.append(f"/api/clusters/{c['id']}")
        qs.append(f"/api/events?cluster={c['id']}")
    articles = get(base, "/api/articles?limit=15")
    for a in articles.get("rows", articles.get("articles", []))[:15]:
        qs.append(f"/api/articles/{a['id']}")
    return qs


def fetch(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            body = r.read()
            kind = r.headers.get("content-type", "")
    except urllib.error.HTTPError as e:
        return ("error", e.code, e.read().decode("utf-8", "replace"))
    if "json" in kind:
        return json.loads(body)
    return body.decode("utf-8", "replace")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    problems = []
    qs = questions(a)
    for q in qs:
        x, y = fetch(a, q), fetch(b, q)
        if isinstance(x, tuple):
            problems.append(f"{q}: {x[1]} from {a}: {x[2][:200]}")
        elif x != y:
            problems.append(f"{q}: {json.dumps(x)[:300]} vs {json.dumps(y)[:300]}")
    # Search: the same articles, in each database's own order.
    for words in ["Kharkiv", "\"combat clashes\"", "drone OR missile", "Sudan NOT Khartoum"]:
        q = "/api/search?" + urllib.parse.urlencode({"q": words, "limit": 500})
        x, y = fetch(a, q), fetch(b, q)
        ids = lambda r: sorted(h["article"] for h in r.get("hits", r.get("rows", []))) \
            if isinstance(r, dict) else r
        if ids(x) != ids(y):
            problems.append(f"{q}: articles {ids(x)} vs {ids(y)}")
        qs.append(q)
    if problems:
        print(f"the two stores answer {len(problems)} of {len(qs)} questions differently:",
              file=sys.stderr)
        for p in problems[:20]:
            print("  " + p, file=sys.stderr)
        sys.exit(1)
    print(f"the two stores answer all {len(qs)} questions alike")


if __name__ == "__main__":
    main()
