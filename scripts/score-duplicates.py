#!/usr/bin/env python3
"""Scores the store's duplicate groups against make-store-corpus.py labels.

    target/release/sitrep query duplicates --db DB | python3 scripts/score-duplicates.py LABELS

Pairwise precision and recall: a pair of documents is positive when both are
in one group (copies, reposts and rewrites of one story); independent reports
of the same event are separate stories and must not be grouped.
"""
import itertools
import sys

gold = {}
with open(sys.argv[1]) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        doc, group = line.rstrip("\n").split("\t")[:2]
        gold[doc] = group

def pairs(groups):
    out = set()
    for g in groups:
        out.update(tuple(sorted(p)) for p in itertools.combinations(g, 2))
    return out

by_group = {}
for doc, group in gold.items():
    by_group.setdefault(group, []).append(doc)
gold_pairs = pairs(by_group.values())
pred_pairs = pairs(line.rstrip("\n").split("\t") for line in sys.stdin if line.strip())
tp = len(gold_pairs & pred_pairs)
p = tp / len(pred_pairs) if pred_pairs else 1.0
r = tp / len(gold_pairs) if gold_pairs else 1.0
f = 2 * p * r / (p + r) if p + r else 0.0
print(f"duplicate pairs: precision {p:.4f} ({tp}/{len(pred_pairs)}), recall {r:.4f} ({tp}/{len(gold_pairs)}), F1 {f:.4f}")
missed = sorted(gold_pairs - pred_pairs)[:5]
wrong = sorted(pred_pairs - gold_pairs)[:5]
for a, b in missed:
    print(f"  missed: {a} ~ {b}", file=sys.stderr)
for a, b in wrong:
    print(f"  wrong:  {a} ~ {b}", file=sys.stderr)
