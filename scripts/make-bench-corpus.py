#!/usr/bin/env python3
"""Builds a benchmark corpus (JSONL) from the news texts of ../shared/eval.

The texts stay outside the repository: the corpus is written where you say
(default /tmp/sitrep-bench.jsonl). Usage:

    python3 scripts/make-bench-corpus.py [OUT] [REPEAT]
    target/release/sitrep bench /tmp/sitrep-bench.jsonl --min-mb 1
    time target/release/sitrep extract /tmp/sitrep-bench.jsonl --format jsonl --jobs 2 > /dev/null
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared", "eval")
out_path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sitrep-bench.jsonl"
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 6
n = 0
with open(out_path, "w") as out:
    for rep in range(repeat):
        for name in ("geo_lgl", "quotes_polnear_dev", "time_tbaq"):
            with open(os.path.join(shared, name + ".jsonl")) as f:
                for line in f:
                    r = json.loads(line)
                    n += 1
                    out.write(json.dumps({"id": f"{name}-{rep}-{n}", "title": r.get("title"), "text": r["text"]}) + "\n")
print(f"{n} documents written to {out_path}", file=sys.stderr)
