#!/usr/bin/env python3
"""sitrep's Spark backfill: archives of news (WARC, JSONL, any input
`sitrep extract` reads) in; the documents, events and event clusters out as
Parquet, the same tables `sitrep export parquet` writes from a store.

    spark-submit spark/backfill.py --output OUT [--sitrep BIN] [--gazetteer DIR] INPUT...

Spark moves the rows; the Rust binary makes every decision, by the code of
`sitrep ingest` (docs/scale-out.md), so the output equals what `sitrep
ingest` of the same inputs, in the same order, stores:

1. extract (parallel over input files, `RDD.pipe` of `sitrep backfill
   extract`): each document annotated, with its key, fingerprint, LSH bands
   and event mentions;
2. article ids in ingest order (file, then record); a key seen before is
   skipped, as `sitrep ingest` skips a stored key;
3. duplicates: exact copies by content hash; near-duplicates from pairs that
   share an LSH band, scored by `sitrep backfill similar`, the best earlier
   one winning; duplicate groups by following "copies" to the original;
4. clusters (`sitrep backfill cluster`): mentions blocked by CAMEO root
   family x modality class — the store's candidate query never crosses
   them — each block in ingest order; cluster ids numbered in the order
   their first mentions come, as the store numbers them;
5. the tables (`mapInArrow` over `sitrep backfill arrow`): documents/ and
   events/ partitioned by publication day (`day=YYYY-MM-DD`, or
   `day=undated`), clusters/ whole; each written with mode overwrite, so a
   re-run over the same inputs replaces its output rather than adding to it.

Every executor needs the sitrep binary and the gazetteer index at the paths
given (a shared file system, or ship them with --archives; see
docs/scale-out.md).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import threading
import time


def arrow_table(binary, table):
    """The mapInArrow function: documents as JSON lines into `sitrep
    backfill arrow --table TABLE`, its Arrow IPC stream out."""

    def run(batches):
        import pyarrow.ipc as ipc

        proc = subprocess.Popen(
            [binary, "backfill", "arrow", "--table", table],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        failure = []

        def feed():
            try:
                for b in batches:
                    for line in b.column("line").to_pylist():
                        proc.stdin.write(line.encode("utf-8") + b"\n")
            except Exception as e:  # reported below, in the task
                failure.append(e)
            finally:
                proc.stdin.close()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        for batch in ipc.open_stream(proc.stdout):
            yield batch
        feeder.join()
        code = proc.wait()
        if failure:
            raise failure[0]
        if code != 0:
            raise RuntimeError(f"sitrep backfill arrow --table {table} exited with {code}")

    return run


def table_schema(binary, table):
    """The Spark schema of an export table, read from the binary itself."""
    import pyarrow.ipc as ipc
    from pyspark.sql.pandas.types import from_arrow_schema

    out = subprocess.run(
        [binary, "backfill", "arrow", "--table", table],
        input=b"", stdout=subprocess.PIPE, check=True,
    ).stdout
    return from_arrow_schema(ipc.open_stream(out).schema)


EXTRACT_SCHEMA = """
    file BIGINT, record BIGINT, error STRING, key STRING, content_hash STRING,
    fingerprint STRUCT<shingles: BIGINT, minhash: STRING, terms: STRING>,
    bands ARRAY<BIGINT>, published STRING, day STRING, bytes BIGINT,
    mentions ARRAY<STRUCT<idx: BIGINT, block: STRING, json: STRING>>, doc STRING
"""

CLUSTER_RECORD = """
    STRUCT<id: BIGINT, root: STRING, cameo: STRING, modality: STRING,
           source_country: STRING, target_country: STRING, country: STRING,
           place_name: STRING, lat: DOUBLE, lon: DOUBLE, date_first: STRING,
           date_last: STRING, num_mentions: BIGINT, num_articles: BIGINT,
           num_sources: BIGINT, first_seen: STRING, last_seen: STRING>
"""

CLUSTER_OUT_SCHEMA = f"""
    kind STRING, block STRING, article BIGINT, idx BIGINT, local BIGINT,
    new BOOLEAN, record {CLUSTER_RECORD}
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", help="input files or directories")
    ap.add_argument("--output", required=True, help="output directory (replaced)")
    ap.add_argument("--sitrep", default=os.environ.get("SITREP_BIN", "target/release/sitrep"),
                    help="the sitrep binary, at this path on every executor")
    ap.add_argument("--gazetteer", default=os.environ.get("SITREP_GAZETTEER"),
                    help="the gazetteer index directory, at this path on every executor")
    ap.add_argument("--published", help="publication date for every document (YYYY-MM-DD)")
    ap.add_argument("--partitions", type=int,
                    help="extract tasks (default: the input files, at most 4 per core)")
    ap.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    a = ap.parse_args(argv)

    from pyspark import StorageLevel
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F

    binary = os.path.abspath(a.sitrep)
    if not os.access(binary, os.X_OK):
        sys.exit(f"backfill: {binary}: not an executable sitrep binary (--sitrep)")
    builder = SparkSession.builder.appName("sitrep-backfill")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    started = time.time()
    timings = {}

    def step(name, since):
        now = time.time()
        timings[name] = round(now - since, 3)
        print(f"backfill: {name}: {timings[name]:.1f} s", file=sys.stderr)
        return now

    # 1. Inputs in `sitrep ingest`'s order, then annotated in parallel.
    listed = subprocess.run([binary, "backfill", "list", *a.inputs],
                            stdout=subprocess.PIPE, text=True)
    files = [os.path.abspath(p) for p in listed.stdout.splitlines() if p]
    if listed.returncode != 0 or not files:
        sys.exit("backfill: no readable input (see the errors above)")
    lines = [json.dumps({"file": i, "path": p}) for i, p in enumerate(files)]
    parts = a.partitions or max(1, min(len(files), sc.defaultParallelism * 4))
    extract = [binary, "backfill", "extract"]
    if a.gazetteer:
        extract += ["--gazetteer", os.path.abspath(a.gazetteer)]
    if a.published:
        extract += ["--published", a.published]
    t = time.time()
    extracted = sc.parallelize(lines, parts).pipe(shlex.join(extract), checkCode=True)
    raw = spark.read.schema(EXTRACT_SCHEMA).json(extracted).persist(StorageLevel.MEMORY_AND_DISK)
    counts = raw.agg(F.count(F.lit(1)).alias("records"), F.count("error").alias("errors"),
                     F.sum("bytes").alias("bytes")).first()
    t = step("extract", t)
    for r in raw.filter(F.col("error").isNotNull()).select("error").limit(20).collect():
        print(f"backfill: skipped: {r.error}", file=sys.stderr)

    # 2. Article ids in ingest order; a key seen before is skipped.
    docs = raw.filter(F.col("error").isNull()).drop("error")
    first = Window.partitionBy("key").orderBy("file", "record")
    docs = docs.withColumn("n", F.row_number().over(first)).filter("n = 1").drop("n")
    order = docs.select("file", "record").orderBy("file", "record").rdd.zipWithIndex() \
        .map(lambda t: (t[0][0], t[0][1], t[1] + 1))
    ids = spark.createDataFrame(order, "file BIGINT, record BIGINT, article_id BIGINT")
    docs = docs.join(ids, ["file", "record"]).persist(StorageLevel.MEMORY_AND_DISK)

    # 3. Duplicates: the oldest exact copy, else the best earlier
    # near-duplicate among articles sharing an LSH band.
    oldest = docs.groupBy("content_hash").agg(F.min("article_id").alias("oldest"))
    docs = docs.join(oldest, "content_hash").withColumn(
        "exact_of", F.when(F.col("oldest") < F.col("article_id"), F.col("oldest"))).drop("oldest")
    bands = docs.select("article_id", F.posexplode("bands").alias("band", "hash"))
    b, c = bands.alias("b"), bands.alias("c")
    pairs = b.join(c, (F.col("b.band") == F.col("c.band")) & (F.col("b.hash") == F.col("c.hash"))
                   & (F.col("c.article_id") < F.col("b.article_id"))) \
        .select(F.col("b.article_id").alias("b"), F.col("c.article_id").alias("a")).distinct()
    open_ = docs.filter(F.col("exact_of").isNull()).select(F.col("article_id").alias("b"))
    fps = docs.select("article_id", "fingerprint")
    pair_lines = pairs.join(open_, "b") \
        .join(fps.toDF("a", "fa"), "a").join(fps.toDF("b", "fb"), "b") \
        .select(F.to_json(F.struct("a", "b", "fa", "fb")).alias("line"))
    scored = pair_lines.rdd.map(lambda r: r.line).pipe(
        shlex.join([binary, "backfill", "similar"]), checkCode=True)
    sims = spark.read.schema("a BIGINT, b BIGINT, sim DOUBLE").json(scored).filter("sim IS NOT NULL")
    best = Window.partitionBy("b").orderBy(F.col("sim").desc(), F.col("a").asc())
    near = sims.withColumn("n", F.row_number().over(best)).filter("n = 1") \
        .select(F.col("b").alias("article_id"), F.col("a").alias("near_of"), F.col("sim").alias("near_sim"))
    docs = docs.join(near, "article_id", "left") \
        .withColumn("dup_of", F.coalesce("exact_of", "near_of")) \
        .withColumn("dup_kind", F.when(F.col("exact_of").isNotNull(), "exact")
                    .when(F.col("near_of").isNotNull(), "near").otherwise("original")) \
        .withColumn("dup_similarity", F.when(F.col("exact_of").isNotNull(), F.lit(1.0))
                    .otherwise(F.col("near_sim"))) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    # A copy's group is its original's: follow "copies" until a fixpoint.
    groups = docs.select("article_id", F.coalesce("dup_of", "article_id").alias("g")).localCheckpoint()
    while True:
        x, y = groups.alias("x"), groups.alias("y")
        hop = x.join(y, F.col("x.g") == F.col("y.article_id")) \
            .select(F.col("x.article_id").alias("article_id"), F.col("y.g").alias("g")).localCheckpoint()
        moved = hop.join(groups.withColumnRenamed("g", "before"), "article_id") \
            .filter(F.col("g") != F.col("before")).count()
        groups = hop
        if moved == 0:
            break
    docs = docs.join(groups.withColumnRenamed("g", "dup_group"), "article_id") \
        .persist(StorageLevel.MEMORY_AND_DISK)
    t = step("duplicates", t)

    # 4. Clusters, block by block, each in ingest order.
    mentions = docs.select("article_id", "dup_group", "published", F.explode("mentions").alias("m")) \
        .select(F.col("m.block").alias("block"), F.col("article_id").alias("article"),
                F.col("dup_group").alias("group"), "published",
                F.col("m.json").alias("mention"), F.col("m.idx").alias("idx"))
    blocks = max(1, sc.defaultParallelism)
    mention_lines = mentions.repartition(blocks, "block") \
        .sortWithinPartitions("block", "article", "idx") \
        .select(F.to_json(F.struct("block", "article", "group", "published", "mention")).alias("line"))
    clustered = mention_lines.rdd.map(lambda r: r.line).pipe(
        shlex.join([binary, "backfill", "cluster"]), checkCode=True)
    out = spark.read.schema(CLUSTER_OUT_SCHEMA).json(clustered).persist(StorageLevel.MEMORY_AND_DISK)
    filed = out.filter("kind = 'mention'")
    seeds = filed.filter("new").select("block", "local", "article", "idx") \
        .orderBy("article", "idx").rdd.zipWithIndex() \
        .map(lambda t: (t[0][0], t[0][1], t[1] + 1))
    seeds = spark.createDataFrame(seeds, "block STRING, local BIGINT, cluster_id BIGINT")
    assigned = filed.join(seeds, ["block", "local"]) \
        .select(F.col("article").alias("article_id"), "idx", "cluster_id")
    clusters = out.filter("kind = 'cluster'").join(seeds, ["block", "local"]) \
        .select(F.col("record.*"), "cluster_id").drop("id").withColumnRenamed("cluster_id", "id")
    clusters = clusters.select("id", *[f for f in clusters.columns if f != "id"])
    per_doc = assigned.groupBy("article_id").agg(
        F.transform(F.sort_array(F.collect_list(F.struct("idx", "cluster_id"))),
                    lambda s: s["cluster_id"]).alias("clusters"))
    t = step("clusters", t)

    # 5. The tables, by the binary's own columns.
    facts = docs.join(per_doc, "article_id", "left").select(
        F.to_json(F.struct("article_id", "dup_group", "dup_kind", "dup_of", "dup_similarity",
                           "clusters", "doc")).alias("line"))
    day = F.coalesce(F.date_format("published", "yyyy-MM-dd"), F.lit("undated"))
    written = {}
    for table in ["documents", "events"]:
        rows = facts.mapInArrow(arrow_table(binary, table), table_schema(binary, table))
        rows = rows.withColumn("day", day).repartition("day").sortWithinPartitions(
            "article_id", *(["idx"] if table == "events" else []))
        rows.write.mode("overwrite").partitionBy("day").parquet(os.path.join(a.output, table))
    clusters.orderBy("id").write.mode("overwrite").parquet(os.path.join(a.output, "clusters"))
    reread = {name: spark.read.parquet(os.path.join(a.output, name)).count()
              for name in ["documents", "events", "clusters"]}
    t = step("write", t)

    manifest = {
        "sitrep": subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                                 text=True).stdout.strip(),
        "spark": spark.version,
        "master": sc.master,
        "inputs": files,
        "records": counts.records,
        "skipped_records": counts.errors,
        "text_bytes": counts.bytes or 0,
        "documents": reread["documents"],
        "events": reread["events"],
        "clusters": reread["clusters"],
        "seconds": timings,
        "total_seconds": round(time.time() - started, 3),
        "extract_mb_per_s": round((counts.bytes or 0) / 1e6 / max(timings["extract"], 1e-9), 3),
    }
    with open(os.path.join(a.output, "_manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(json.dumps(manifest))
    spark.stop()


if __name__ == "__main__":
    main()
