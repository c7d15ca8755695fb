#!/usr/bin/env python3
"""Compares the Spark backfill's output with `sitrep export parquet` of a
store built by `sitrep ingest` from the same inputs: the same documents,
events and clusters, column for column and value for value.

    python spark/compare.py BACKFILL_DIR EXPORT_DIR

BACKFILL_DIR holds documents/, events/ and clusters/ (partitioned by day);
EXPORT_DIR holds documents.parquet, events.parquet and clusters.parquet; a
BACKFILL_DIR laid out so (another store's export) is compared as well.
Exits 1 naming the first differences, else prints the row counts compared.
"""
import os
import sys

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

TABLES = {
    "documents": ["article_id"],
    "events": ["article_id", "idx"],
    "clusters": ["id"],
}


def backfill_table(root, name):
    # Another store's export (one file per table) compares as well.
    if os.path.isfile(f"{root}/{name}.parquet"):
        return pq.read_table(f"{root}/{name}.parquet")
    table = ds.dataset(f"{root}/{name}", format="parquet", partitioning="hive").to_table()
    if "day" in table.column_names:
        table = table.drop_columns(["day"])
    return table


def same_type(a, b):
    # Spark writes strings as Parquet UTF8, read back as string or
    # large_string; both are text.
    text = {pa.string(), pa.large_string()}
    return a == b or (a in text and b in text)


def compare(name, spark, store, problems):
    keys = TABLES[name]
    want = [f.name for f in store.schema]
    got = [f.name for f in spark.schema]
    if got != want:
        problems.append(f"{name}: columns differ: backfill {got} vs store {want}")
        return
    for f in store.schema:
        g = spark.schema.field(f.name)
        if not same_type(g.type, f.type):
            problems.append(f"{name}.{f.name}: type {g.type} in the backfill, {f.type} in the store")
    if spark.num_rows != store.num_rows:
        problems.append(f"{name}: {spark.num_rows} rows in the backfill, {store.num_rows} in the store")
        return
    order = [(k, "ascending") for k in keys]
    spark = spark.sort_by(order).to_pylist()
    store = store.sort_by(order).to_pylist()
    shown = 0
    for s, t in zip(spark, store):
        if s != t:
            diff = {k: (s[k], t[k]) for k in t if s.get(k) != t[k]}
            for k, (a, b) in diff.items():
                if isinstance(a, str) and len(a) > 120:
                    diff[k] = (a[:120] + "…", str(b)[:120] + "…")
            problems.append(f"{name} {[t[k] for k in keys]}: backfill vs store {diff}")
            shown += 1
            if shown >= 5:
                break


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    backfill, export = sys.argv[1], sys.argv[2]
    problems, counts = [], {}
    for name in TABLES:
        spark = backfill_table(backfill, name)
        store = pq.read_table(f"{export}/{name}.parquet")
        counts[name] = store.num_rows
        compare(name, spark, store, problems)
    if problems:
        print("backfill and store differ:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        sys.exit(1)
    print("backfill equals store: " + ", ".join(f"{n} {c}" for n, c in counts.items()))


if __name__ == "__main__":
    main()
