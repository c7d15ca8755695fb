#!/usr/bin/env python3
"""Writes docs/openapi.json, the description of sitrep's HTTP API.

    python3 scripts/make-openapi.py > docs/openapi.json

The JSON file is the contract (served at /api/openapi.json; the server's
tests check every response against its schemas); this script is how it is
kept, so that a shape is changed in one place. Schemas mirror the row types
of crates/sitrep-store/src/query.rs and the handlers of
crates/sitrep/src/serve/api.rs.
"""
import json
S = lambda: {"type": "string"}
NS = lambda: {"type": ["string", "null"]}
I = lambda: {"type": "integer"}
NI = lambda: {"type": ["integer", "null"]}
N = lambda: {"type": "number"}
NN = lambda: {"type": ["number", "null"]}
B = lambda: {"type": "boolean"}
R = lambda n: {"$ref": f"#/components/schemas/{n}"}
def obj(props, desc=None, required=None):
    o = {"type": "object", "additionalProperties": False,
         "required": required if required is not None else list(props), "properties": props}
    if desc: o["description"] = desc
    return o
def page(item, desc):
    return obj({"total": {"type": "integer", "minimum": 0, "description": "rows matching, all pages together"},
                "exact": {"type": "boolean", "description": "whether total is exact (false: the count stopped at 10,000 and there are more)"},
                "rows": {"type": "array", "items": R(item)}}, desc)
schemas = {}
schemas["Error"] = obj({"error": obj({"status": I(), "message": S(), "parameter": S()}, required=["status", "message"])},
                       "Every error: the status again, what was wrong and, for a bad parameter, which one.")
schemas["Health"] = obj({"status": {"const": "ok"}, "schema_version": I(), "articles": I(), "events": I(), "ingest": B()})
schemas["Counts"] = obj({k: I() for k in ["articles", "dup_groups", "entities", "places", "times", "quotes", "claims", "events", "clusters"]})
schemas["ActorRow"] = obj({"text": NS(), "name": NS(), "code": NS(), "country": NS()}, "An event participant: as written, canonical name, CAMEO-style code (RUSMIL), country (ISO alpha-3).")
ev = {"id": I(), "article": I(), "doc_id": S(), "url": NS(), "title": NS(), "published": NS(), "publisher": S(),
      "start": I(), "end": I(), "text": S(), "cameo": S(), "root": S(), "quad_class": I(), "goldstein": N(),
      "plover": NS(), "plover_mode": NS(), "acled_type": NS(), "acled_sub_type": NS(),
      "source": {"oneOf": [R("ActorRow"), {"type": "null"}]}, "target": {"oneOf": [R("ActorRow"), {"type": "null"}]},
      "place_text": NS(), "place_name": NS(), "gazetteer_id": NS(), "country": NS(), "lat": NN(), "lon": NN(),
      "date": NS(), "date_precision": NS(), "attribution": NS(), "via": NS(), "modality": S(), "control": NS(),
      "confidence": N(), "by": S(), "cluster": NI(), "num_mentions": NI(), "num_articles": NI(), "num_sources": NI()}
schemas["EventRow"] = obj(ev, "One event mention with its article and its cluster's counts. start/end are code points into the article's text; by is the codebook rule.")
schemas["EventPage"] = page("EventRow", "A page of event mentions.")
schemas["DayCount"] = obj({"day": S(), "category": S(), "count": I()})
schemas["Timeline"] = obj({"days": {"type": "array", "items": R("DayCount")}}, "Event mentions per day and PLOVER category (OTHER without one), oldest first.")
schemas["GridCell"] = obj({"lat": N(), "lon": N(), "count": I(), "category": S(), "clusters": I(), "place": NS(), "event": I(),
                          "bbox": {"type": "array", "items": N(), "minItems": 4, "maxItems": 4, "description": "the cell's square, min_lon,min_lat,max_lon,max_lat: the bbox filter that lists its events"}})
schemas["Grid"] = obj({"cell": N(), "cells": {"type": "array", "items": R("GridCell")}}, "Placed events gathered into cells of `cell` degrees: the map's markers.")
cl = {"id": I(), "root": S(), "cameo": S(), "modality": S(), "source_country": NS(), "target_country": NS(), "country": NS(),
      "place_name": NS(), "lat": NN(), "lon": NN(), "date_first": NS(), "date_last": NS(), "num_mentions": I(),
      "num_articles": I(), "num_sources": I(), "first_seen": NS(), "last_seen": NS()}
schemas["ClusterRow"] = obj(cl, "A real-world event: its mentions across articles, NumSources counting duplicate groups (independent sources).")
schemas["ClusterPage"] = page("ClusterRow", "A page of clusters, most independent sources first.")
schemas["ClusterSource"] = obj({"dup_group": I(), "publishers": {"type": "array", "items": S()}, "articles": {"type": "array", "items": I()},
                                "first_published": NS(), "wording": {"type": "array", "items": S()}}, "One independent source of a cluster (a duplicate group) and its wording.")
q = {"article": I(), "doc_id": S(), "title": NS(), "published": NS(), "publisher": S(), "start": I(), "end": I(), "text": S(),
     "direct": B(), "speaker": NS(), "speaker_canonical": NS(), "cue": NS(), "channel": NS(), "via": NS(), "by": S()}
schemas["QuoteRow"] = obj(q, "A direct or reported statement with its speaker, cue, channel and the source reporting it (via).")
schemas["QuotePage"] = page("QuoteRow", "A page of quotes, newest article first.")
st = dict(q); st["event"] = I()
schemas["Statement"] = obj(st, "A statement whose content holds a cluster mention: who said the event happened.")
schemas["ClusterDetail"] = obj({"cluster": R("ClusterRow"), "sources": {"type": "array", "items": R("ClusterSource")},
                                "mentions": {"type": "array", "items": R("EventRow")}, "statements": {"type": "array", "items": R("Statement")}})
c = {"article": I(), "doc_id": S(), "title": NS(), "published": NS(), "publisher": S(), "start": I(), "end": I(), "text": S(),
     "value": N(), "value_max": NN(), "qualifier": NS(), "unit": NS(), "kind": NS(), "attributed_to": NS(), "time_value": NS(),
     "sentence": NS(), "by": S()}
schemas["ClaimRow"] = obj(c, "A number with its qualifier, unit, kind, claimant and sentence.")
schemas["ClaimPage"] = page("ClaimRow", "A page of claims.")
schemas["PlaceRow"] = obj({"name": S(), "gazetteer_id": NS(), "kind": S(), "country": NS(), "admin1": NS(), "lat": NN(), "lon": NN(), "mentions": I(), "articles": I()})
schemas["PlacePage"] = page("PlaceRow", "Resolved places, most mentioned first.")
a = {"id": I(), "doc_id": S(), "url": NS(), "title": NS(), "published": NS(), "publisher": S(), "wire": NS(), "dup_group": I(),
     "dup_kind": {"enum": ["original", "exact", "near"]}, "chars": I(), "events": I()}
schemas["ArticleRow"] = obj(a, "A stored article; dup_group is its duplicate group, dup_kind whether it is the group's original or an exact or near copy.")
schemas["ArticlePage"] = page("ArticleRow", "A page of articles, newest first.")
schemas["EventCluster"] = obj({"cluster": NI(), "sources": NI(), "event": I()})
schemas["ArticleDetail"] = obj({"article": R("ArticleRow"),
    "document": {"type": "object", "required": ["schema", "id", "text"], "description": "The annotated document, schema sitrep/1 (schema/sitrep-1.schema.json): text and every layer with spans and by."},
    "event_clusters": {"type": "array", "items": {"oneOf": [R("EventCluster"), {"type": "null"}]}, "description": "For each of the document's events, by index: its stored event id and cluster."},
    "duplicates": {"type": "array", "items": R("ArticleRow")}})
side = {"article": I(), "doc_id": S(), "source": S(), "text": S(), "span": {"type": "array", "items": I(), "minItems": 2, "maxItems": 2},
        "value": N(), "value_max": NN(), "qualifier": NS(), "attributed_to": NS()}
schemas["ClaimSide"] = obj(side)
schemas["CountDispute"] = obj({"cluster": I(), "cameo": S(), "place_name": NS(), "kind": S(), "unit": NS(), "a": R("ClaimSide"), "b": R("ClaimSide")},
                              "Two independent sources' incompatible counts of one thing about one event.")
cs = {"article": I(), "doc_id": S(), "source": S(), "text": S(), "span": {"type": "array", "items": I(), "minItems": 2, "maxItems": 2},
      "control": {"enum": ["taken", "held", "lost"]}, "modality": S(), "actor": NS(), "actor_country": NS(), "actor_code": NS(), "date": NS(), "attributed_to": NS()}
schemas["ControlSide"] = obj(cs)
schemas["ControlDispute"] = obj({"place": S(), "gazetteer_id": NS(), "a": R("ControlSide"), "b": R("ControlSide")}, "Two sources disagreeing about who holds a place.")
schemas["Disputes"] = obj({"counts": {"type": "array", "items": R("CountDispute")}, "control": {"type": "array", "items": R("ControlDispute")}})
schemas["SearchHit"] = obj({"article": I(), "doc_id": S(), "title": NS(), "published": NS(), "publisher": S(), "snippet": S(), "rank": N()})
schemas["SearchResult"] = obj({"hits": {"type": "array", "items": R("SearchHit")}})
schemas["IngestReport"] = obj({k: I() for k in ["added", "already_stored", "exact_copies", "near_duplicates", "events", "new_clusters", "failed"]} | {"errors": {"type": "array", "items": S()}})

def qp(name, desc, schema=None, required=False):
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema or {"type": "string"}}
date = {"type": "string", "format": "date"}
filters = [
    qp("from", "events dated on or after this day (YYYY-MM-DD); undated events are then left out", date),
    qp("to", "events dated on or before this day", date),
    qp("bbox", "min_lon,min_lat,max_lon,max_lat around the event's place"),
    qp("near", "LAT,LON: events within `km` of this point"),
    qp("km", "radius for `near` (default 50)", {"type": "number", "exclusiveMinimum": 0, "maximum": 20000}),
    qp("country", "ISO 3166 alpha-2 or alpha-3: the place's or an actor's country"),
    qp("actor", "a code prefix in capitals (RUS, UKRMIL) or part of an actor's name"),
    qp("cameo", "CAMEO code prefix, 1-4 digits", {"type": "string", "pattern": "^[0-9]{1,4}$"}),
    qp("plover", "PLOVER category (ASSAULT, PROTEST…; OTHER for events without one)"),
    qp("acled", "ACLED event type (Battles…)"),
    qp("source", "publisher (URL host)"),
    qp("q", "full-text query over the articles (FTS5; taken as a phrase when it does not parse)"),
    qp("modality", "", {"enum": ["asserted", "reported", "negated", "conditional", "intended"]}),
    qp("cluster", "only this cluster's mentions", {"type": "integer", "minimum": 0}),
    qp("article", "only this article's events", {"type": "integer", "minimum": 0}),
    qp("originals", "leave out exact and near copies", {"type": "boolean"}),
]
def paging(default, mx):
    return [qp("limit", f"rows per page (default {default})", {"type": "integer", "minimum": 1, "maximum": mx}),
            qp("offset", "rows to skip", {"type": "integer", "minimum": 0})]
def ok(schema, desc="OK"):
    return {"200": {"description": desc, "content": {"application/json": {"schema": R(schema)}}}}
errs = {"400": {"description": "a bad parameter (named in the error)", "content": {"application/json": {"schema": R("Error")}}},
        "429": {"description": "over the per-client rate limit", "content": {"application/json": {"schema": R("Error")}}}}
def op(summary, params, schema, extra=None, desc=None):
    o = {"summary": summary, "parameters": params, "responses": ok(schema) | errs | (extra or {})}
    if desc: o["description"] = desc
    return {"get": o}
nf = {"404": {"description": "no such item", "content": {"application/json": {"schema": R("Error")}}}}
idp = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
paths = {
 "/api/health": op("Liveness and store size", [], "Health"),
 "/api/counts": op("Rows per table", [], "Counts"),
 "/api/events": op("Event mentions, filtered, sorted and paged", filters + paging(100, 1000) + [qp("sort", "", {"enum": ["date", "date-asc", "sources", "confidence"]})], "EventPage"),
 "/api/events/timeline": op("Events per day and PLOVER category (the timeline)", filters, "Timeline"),
 "/api/events/grid": op("Placed events gathered into grid cells (the map's markers)", filters + [qp("cell", "cell size in degrees (default 1)", {"type": "number", "minimum": 0.001, "maximum": 45}), qp("limit", "most cells (default 5000)", {"type": "integer", "minimum": 1, "maximum": 20000})], "Grid"),
 "/api/clusters": op("Event clusters, most independent sources first", [qp("from", "clusters ending on or after this day", date), qp("to", "clusters starting on or before this day", date)] + paging(50, 1000), "ClusterPage"),
 "/api/clusters/{id}": op("A cluster with its mentions, its independent sources and their wording, and the statements that report it", [idp], "ClusterDetail", nf),
 "/api/articles": op("Articles, newest first", [qp("q", "full-text query"), qp("source", "publisher"), qp("from", "published on or after", date), qp("to", "published on or before", date)] + paging(50, 1000), "ArticlePage"),
 "/api/articles/{id}": op("An article with every layer, its events' clusters and its duplicates", [idp], "ArticleDetail", nf),
 "/api/places": op("Resolved places, most mentioned first", [qp("name", "start of the name"), qp("country", "ISO alpha-2")] + paging(100, 1000), "PlacePage"),
 "/api/quotes": op("What people said", [qp("speaker", "part of the speaker's name"), qp("contains", "part of the content"), qp("direct", "only direct quotes", {"type": "boolean"}), qp("from", "", date), qp("to", "", date), qp("source", "publisher"), qp("article", "", {"type": "integer", "minimum": 1})] + paging(50, 1000), "QuotePage"),
 "/api/claims": op("Claims (numbers) about a subject", [qp("about", "words of the claim's sentence, phrase or unit"), qp("kind", "killed, wounded, attacks…"), qp("by", "part of the claimant's name"), qp("from", "", date), qp("to", "", date), qp("source", "publisher"), qp("article", "", {"type": "integer", "minimum": 1})] + paging(50, 1000), "ClaimPage"),
 "/api/disputes": op("Disputes between independent sources: incompatible counts, conflicting control claims", [qp("kind", "", {"enum": ["all", "counts", "control"]}), qp("limit", "most of each kind (default 200)", {"type": "integer", "minimum": 1, "maximum": 10000})], "Disputes"),
 "/api/search": op("Full-text search over the articles", [qp("q", "FTS5 query: words, \"a phrase\", AND/OR/NOT, prefix*", required=True), qp("limit", "", {"type": "integer", "minimum": 1, "maximum": 1000})], "SearchResult"),
}
exp_params = [{"name": "format", "in": "path", "required": True, "schema": {"enum": ["gdelt-events", "gdelt-mentions", "gkg", "plover", "acled", "geojson", "geojson-places"]}},
              qp("from", "", date), qp("to", "", date), qp("country", "ISO alpha-2 or alpha-3"), qp("cameo", "CAMEO prefix", {"type": "string", "pattern": "^[0-9]{1,4}$"}),
              qp("source", "publisher"), qp("bbox", "min_lon,min_lat,max_lon,max_lat"), qp("originals", "", {"type": "boolean"}), qp("header", "header row for the TSV tables", {"type": "boolean"})]
paths["/api/export/{format}"] = {"get": {"summary": "An export of the store as a download (formats in docs/exports.md)", "parameters": exp_params,
  "responses": {"200": {"description": "the file", "content": {"text/tab-separated-values": {}, "text/csv": {}, "application/x-ndjson": {}, "application/geo+json": {}}}} | errs | nf}}
paths["/api/ingest"] = {"post": {"summary": "Annotate and store articles (only when the server runs with --ingest-token)",
  "security": [{"bearer": []}], "parameters": [qp("published", "publication day for documents that give none", date)],
  "requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": {"type": "string"}, "example": "{\"id\": \"a1\", \"text\": \"…\", \"url\": \"https://…\", \"published\": \"2023-10-30\"}"},
                  "text/plain": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}},
  "responses": ok("IngestReport") | errs | {
     "401": {"description": "no or a wrong token", "content": {"application/json": {"schema": R("Error")}}},
     "403": {"description": "ingest is disabled", "content": {"application/json": {"schema": R("Error")}}},
     "413": {"description": "body over --max-body", "content": {"application/json": {"schema": R("Error")}}},
     "415": {"description": "unsupported media type", "content": {"application/json": {"schema": R("Error")}}}}}}
paths["/api/openapi.json"] = {"get": {"summary": "This description", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}}
doc = {"openapi": "3.1.0",
 "info": {"title": "sitrep API", "version": "1",
  "description": "The sitrep store over HTTP (`sitrep serve`): events, clusters, articles with every annotation layer, places, quotes, claims, disputes, search and exports. Read-only unless started with an ingest token. Offsets are Unicode code points into the article's text; every annotation carries `by`, the rule that produced it. Errors are JSON (`Error`). Written by sitrep's authors; the server's tests check every response against these schemas."},
 "servers": [{"url": "http://127.0.0.1:8077"}],
 "paths": paths,
 "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}
print(json.dumps(doc, indent=2, ensure_ascii=False))
