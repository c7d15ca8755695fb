#!/usr/bin/env python3
"""Breaks down places errors: gold toponyms (eval format) against the
documents `sitrep eval places GOLD --predictions PRED` wrote.

Usage: scripts/places-errors.py GOLD.jsonl PRED.jsonl [--show CLASS] [--n N]

Classes: ok, missed, wrong (matched span, > 161 km), false (predicted, no gold).
Development aid only: it reads the dev set at run time and stores nothing.
"""
import json, math, sys, collections, argparse

def km(a, b, c, d):
    p = math.pi / 180
    h = (math.sin((c - a) * p / 2) ** 2
         + math.cos(a * p) * math.cos(c * p) * math.sin((d - b) * p / 2) ** 2)
    return 12742 * math.asin(min(1, math.sqrt(h)))

ap = argparse.ArgumentParser()
ap.add_argument("gold"); ap.add_argument("pred")
ap.add_argument("--show", default=None); ap.add_argument("--n", type=int, default=60)
ap.add_argument("--by", action="store_true", help="count wrong/ok by rule")
a = ap.parse_args()
golds = [json.loads(l) for l in open(a.gold) if l.strip()]
preds = [json.loads(l) for l in open(a.pred) if l.strip()]
assert len(golds) == len(preds), (len(golds), len(preds))
counts = collections.Counter(); shown = collections.Counter(); byrule = collections.Counter()
names = collections.Counter()
for g, p in zip(golds, preds):
    text = g["text"]; places = p.get("places", [])
    used = set()
    for t in g["toponyms"]:
        m = None
        for i, q in enumerate(places):
            if q["start"] < t["end"] and t["start"] < q["end"]:
                m = (i, q); break
        if m is None:
            cls = "missed"; info = ""
        else:
            used.add(m[0]); q = m[1]
            d = km(t["lat"], t["lon"], q["lat"], q["lon"]) if q.get("lat") is not None else 1e9
            cls = "ok" if d <= 161 else "wrong"
            info = f"-> {q.get('name')} {q.get('gazetteer_id')} {q.get('feature')} {q.get('country')}/{q.get('admin1')} d={d:.0f}km conf={q.get('confidence',0):.2f} by={q.get('by')}"
            byrule[(cls, q.get("by"))] += 1
        counts[cls] += 1
        if cls != "ok": names[(cls, t["name"])] += 1
        if a.show == cls and shown[cls] < a.n:
            shown[cls] += 1
            ctx = text[max(0, t["start"] - 60):t["end"] + 40].replace("\n", " ")
            print(f"[{g['id']}] {t['name']!r} gold={t['feature_code']} ({t['lat']:.2f},{t['lon']:.2f}) {info}\n    ...{ctx}...")
    for i, q in enumerate(places):
        if i not in used:
            counts["false"] += 1
            names[("false", text[q["start"]:q["end"]])] += 1
            if a.show == "false" and shown["false"] < a.n:
                shown["false"] += 1
                ctx = text[max(0, q["start"] - 60):q["end"] + 40].replace("\n", " ")
                print(f"[{g['id']}] FALSE {text[q['start']:q['end']]!r} by={q.get('by')} -> {q.get('name')}\n    ...{ctx}...")
total = sum(len(g["toponyms"]) for g in golds)
print(dict(counts), "total gold", total, "acc@161", round(counts["ok"] / total, 4))
if a.by:
    for k, v in sorted(byrule.items(), key=lambda x: -x[1])[:40]: print(v, k)
print("top names:", [(k, v) for k, v in names.most_common(40)])
