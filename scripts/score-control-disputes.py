#!/usr/bin/env python3
"""Scores the store's conflicting control claims against make-store-corpus.py.

    target/release/sitrep query disputes --kind control --json --limit 100000 --db DB \
      | python3 scripts/score-control-disputes.py OUT_DIR

In the corpus, a "capture" story ("X captured P on Monday") may have
independent reports from the other side ("Y repelled an attack on P on
Monday"): each such (story, report) pair of duplicate groups is one expected
dispute. A listed dispute is right when both documents report the same
labelled event; recall is over the expected pairs of groups.
"""
import json
import os
import sys

out_dir = sys.argv[1]
labels = {}
with open(os.path.join(out_dir, "labels.tsv")) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        doc, group, event, form = line.rstrip("\n").split("\t")
        labels[doc] = (group, event, form)
texts = {}
with open(os.path.join(out_dir, "corpus.jsonl")) as f:
    for line in f:
        d = json.loads(line)
        texts[d["id"]] = d["text"]

original_group = {ev: g for (g, ev, form) in labels.values() if form == "original"}
expected = set()
for doc, (group, event, form) in labels.items():
    if form == "independent" and "repelled an attack on" in texts[doc]:
        expected.add((event, tuple(sorted((original_group[event], group)))))

right = wrong = 0
found = set()
for line in sys.stdin:
    d = json.loads(line)["detail"]
    a, b = labels[d["a"]["doc_id"]], labels[d["b"]["doc_id"]]
    if a[1] == b[1]:
        right += 1
        found.add((a[1], tuple(sorted((a[0], b[0])))))
    else:
        wrong += 1
listed = right + wrong
precision = right / listed if listed else 0.0
recall = len(found & expected) / len(expected) if expected else 0.0
print(f"control disputes: {listed} listed, precision {precision:.3f} ({right}/{listed}), "
      f"recall {recall:.3f} ({len(found & expected)}/{len(expected)} story/report pairs)")
