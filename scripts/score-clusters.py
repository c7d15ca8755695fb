#!/usr/bin/env python3
"""Scores the store's event clusters against make-store-corpus.py labels.

    python3 scripts/score-clusters.py DB LABELS

Two figures over pairs of documents:

- recall: of the pairs of documents from different duplicate groups that
  report the same labelled event (a wire story and another outlet's own
  report of it), the share with at least one event mention in a common
  cluster;
- mixing: of the pairs of documents with mentions in a common cluster, the
  share that report different labelled events (two stories the generator
  happened to place in the same town within days of each other, or a
  cluster that merged what it should not).

Reads the SQLite store directly (read-only).
"""
import collections
import itertools
import sqlite3
import sys

db, labels = sys.argv[1], sys.argv[2]
label = {}
with open(labels) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        doc, group, event, form = line.rstrip("\n").split("\t")
        label[doc] = (group, event, form)
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
rows = con.execute(
    "SELECT a.doc_id, e.cluster_id FROM events e JOIN articles a ON a.id = e.article_id "
    "WHERE e.cluster_id IS NOT NULL").fetchall()
members = collections.defaultdict(set)
clusters_of = collections.defaultdict(set)
for doc, cluster in rows:
    members[cluster].add(doc)
    clusters_of[doc].add(cluster)

by_event = collections.defaultdict(list)
for doc, (group, event, form) in label.items():
    by_event[event].append(doc)
same = joined = 0
for docs in by_event.values():
    for a, b in itertools.combinations(docs, 2):
        if label[a][0] != label[b][0]:
            same += 1
            joined += bool(clusters_of[a] & clusters_of[b])

together = set()
for docs in members.values():
    together.update(itertools.combinations(sorted(docs), 2))
mixed = sum(label[a][1] != label[b][1] for a, b in together)
print(f"clusters: recall {joined / same:.3f} ({joined}/{same} independent same-event pairs), "
      f"mixing {mixed / max(len(together), 1):.3f} ({mixed}/{len(together)} pairs)")
