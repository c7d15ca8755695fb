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

Every executor needs the sitrep binary and the gazetteer index: at the
driver's paths (a shared file system, or installed alike on every node), or
shipped with spark-submit --archives and named by --executor-sitrep and
--executor-gazetteer (docs/scale-out.md).
"""
import argparse
import json
import os
import queue
import shlex
import shutil
import subprocess
import sys
import threading
import time


def through(command, arrow_in=False, lines=None):
    """A mapInArrow function that runs COMMAND over each partition: its
    rows into the command's stdin — with `lines`, the lines its `id`
    column numbers (ids past the end are skipped); with `arrow_in`, the
    rows themselves as an Arrow IPC stream; else its `line` column — and
    the Arrow IPC stream the command writes out."""

    def run(batches):
        import pyarrow as pa
        import pyarrow.ipc as ipc

        argv = list(command)
        if not os.path.isabs(argv[0]):
            # Shipped with --archives: in the executor's working directory,
            # which is SparkFiles' root on a cluster.
            from pyspark import SparkFiles

            shipped = os.path.join(SparkFiles.getRootDirectory(), argv[0])
            argv[0] = shipped if os.path.exists(shipped) else argv[0]
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        failure = []

        def feed():
            try:
                if arrow_in:
                    writer = None
                    for b in batches:
                        if writer is None:
                            writer = ipc.new_stream(proc.stdin, b.schema)
                        writer.write_batch(b)
                    if writer is not None:
                        writer.close()
                elif lines is not None:
                    for b in batches:
                        for i in b.column("id").to_pylist():
                            if i < len(lines):
                                proc.stdin.write(lines[i].encode("utf-8") + b"\n")
                else:
                    for b in batches:
                        for line in b.column("line").to_pylist():
                            proc.stdin.write(line.encode("utf-8") + b"\n")
            except BrokenPipeError:
                pass  # the command stopped reading: its exit code tells why
            except Exception as e:  # reported below, in the task
                failure.append(e)
            finally:
                proc.stdin.close()

        # Read ahead on a thread: the binary keeps working while this one
        # hands a batch to Spark (else it would wait on a full pipe).
        ahead = queue.Queue(maxsize=4)

        def drain():
            try:
                for batch in ipc.open_stream(proc.stdout):
                    ahead.put(batch)
            except Exception as e:  # reported below, in the task
                failure.append(e)
            finally:
                ahead.put(None)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        drainer = threading.Thread(target=drain, daemon=True)
        drainer.start()
        while (batch := ahead.get()) is not None:
            yield batch
        feeder.join()
        drainer.join()
        code = proc.wait()
        if failure:
            raise failure[0]
        if code != 0:
            raise RuntimeError(f"{shlex.join(command)} exited with {code}")

    return run


def arrow_schema(command):
    """The Spark schema of what COMMAND writes, read from the binary
    itself: given no input, it writes its schema alone."""
    import pyarrow.ipc as ipc
    from pyspark.sql.pandas.types import from_arrow_schema

    out = subprocess.run(command, input=b"", stdout=subprocess.PIPE, check=True).stdout
    return from_arrow_schema(ipc.open_stream(out).schema)


def write_text(spark, path, text):
    """Writes a small text file at PATH, on any file system Spark writes to
    (a local path, hdfs://, s3a://…)."""
    if "://" not in path or path.startswith("file://"):
        with open(path.removeprefix("file://"), "w") as f:
            f.write(text)
        return
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    fs = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    out = fs.create(target, True)
    out.write(bytearray(text.encode("utf-8")))
    out.close()


def remove(spark, path):
    """Removes a directory, on any file system Spark writes to."""
    if "://" not in path or path.startswith("file://"):
        shutil.rmtree(path.removeprefix("file://"), ignore_errors=True)
        return
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(target, True)


MENTIONS = "ARRAY<STRUCT<idx: BIGINT, block: STRING, json: STRING>>"

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
                    help="the sitrep binary the driver runs (executors too, unless --executor-sitrep)")
    ap.add_argument("--gazetteer", default=os.environ.get("SITREP_GAZETTEER"),
                    help="the gazetteer index directory (for executors, unless --executor-gazetteer)")
    ap.add_argument("--executor-sitrep",
                    help="the binary as executors see it, when not at --sitrep's path: e.g. "
                         "dist/sitrep for one shipped with --archives dist.tar.gz#dist "
                         "(relative paths are the executor's working directory)")
    ap.add_argument("--executor-gazetteer",
                    help="the gazetteer directory as executors see it (as --executor-sitrep)")
    ap.add_argument("--staging",
                    help="directory for the annotated documents between the first and last "
                         "step, at the same path on the driver and every executor (default: "
                         "OUTPUT/_extract; removed at the end)")
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
    if (a.master or "local").startswith("local"):
        # In local mode the one JVM (driver and executor) shares the cores
        # with the binaries; its optimising compiler (C2) costs more CPU
        # than it saves in a job of minutes: measured on local[2], the
        # extract step 9.2 → 8.4 s, the whole backfill 51.7 → 42.6 s.
        # (Takes effect only when this script starts the JVM itself; under
        # spark-submit the driver's options are spark-submit's.)
        builder = builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
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
    if not files:
        sys.exit("backfill: no readable input (see the errors above)")
    # An unreadable input is reported (above, by the binary) and skipped,
    # as `sitrep ingest` skips it; the run then ends with exit code 1.
    partial = listed.returncode != 0
    lines = [json.dumps({"file": i, "path": p}) for i, p in enumerate(files)]
    parts = a.partitions or max(1, min(len(files), sc.defaultParallelism * 4))
    # The driver runs `binary`; executors run `runs`, with `gazetteer`.
    runs = a.executor_sitrep or binary
    gazetteer = a.executor_gazetteer or (os.path.abspath(a.gazetteer) if a.gazetteer else None)
    if "://" in a.output and not a.staging:
        sys.exit("backfill: --staging DIR is needed when the output is not a local path")
    staging = a.staging or os.path.join(os.path.abspath(a.output), "_extract")
    remove(spark, staging)
    extract = [runs, "backfill", "extract", "--staging", staging]
    if gazetteer:
        extract += ["--gazetteer", gazetteer]
    if a.published:
        extract += ["--published", a.published]
    # The files by number, spread evenly over the tasks.
    files_df = spark.range(0, len(lines), 1, parts)
    summary = arrow_schema([binary, "backfill", "extract", "--schema"])
    # The same job on no input first: it starts every executor's Python
    # workers and the binary, a fixed cost of a few seconds, reported as
    # such rather than counted in the extract step's throughput.
    spark.range(0, parts, 1, parts) \
        .mapInArrow(through([runs, "backfill", "extract", "--schema"], lines=[]), summary) \
        .agg(F.sum("records")).first()
    t = step("startup", started)
    # The annotated documents: the one costly step. The binary stages them
    # as Parquet — the small columns the cross-article steps need in meta/,
    # each document's JSON, for the last step, in docs/ — and tells Spark
    # only its counts: the documents neither cross into the JVM nor sit in
    # Spark's cache (where a 1 GB WARC file's would be one block, too big
    # for an executor's heap).
    counts = files_df.mapInArrow(through(extract, lines=lines), summary).agg(F.sum("records").alias("records"), F.sum("errors").alias("errors"),
          F.sum("bytes").alias("bytes")).first()
    t = step("extract", t)
    # Listing the staged files and reading their schema is the next step's
    # cost (a job of its own, some 0.5 s here), not annotation's.
    raw = spark.read.parquet(os.path.join(staging, "meta"))
    # Shuffles from here on move the small columns (about 2 KB a document)
    # but for the last join, which moves the documents: partitions of some
    # 20,000 documents, unless spark.sql.shuffle.partitions is set. (Spark's
    # default of 200 makes a small backfill spend its time starting tasks.)
    if not sc.getConf().contains("spark.sql.shuffle.partitions"):
        spark.conf.set("spark.sql.shuffle.partitions",
                       str(max(2 * sc.defaultParallelism, counts.records // 20_000)))
    for r in raw.filter(F.col("error").isNotNull()).select("error").limit(20).collect():
        print(f"backfill: skipped: {r.error}", file=sys.stderr)

    # 2. Article ids in ingest order; a key seen before is skipped. From
    # here to the last step only the small columns move, not the documents.
    docs = raw.filter(F.col("error").isNull()).select(
        "file", "record", "key", "content_hash", "bands", "published",
        F.struct("shingles", "minhash", "terms").alias("fingerprint"),
        F.from_json("mentions", MENTIONS).alias("mentions"))
    first = Window.partitionBy("key").orderBy("file", "record")
    docs = docs.withColumn("n", F.row_number().over(first)).filter("n = 1").drop("n")
    order = docs.select("file", "record").orderBy("file", "record").rdd.zipWithIndex() \
        .map(lambda t: (t[0][0], t[0][1], t[1] + 1))
    ids = spark.createDataFrame(order, "file BIGINT, record BIGINT, article_id BIGINT")
    docs = docs.join(ids, ["file", "record"]).persist(StorageLevel.MEMORY_AND_DISK)
    docs.count()
    t = step("ids", t)

    # 3. Duplicates: the oldest exact copy, else the best earlier
    # near-duplicate among articles sharing an LSH band.
    oldest = docs.groupBy("content_hash").agg(F.min("article_id").alias("oldest"))
    docs = docs.join(oldest, "content_hash").withColumn(
        "exact_of", F.when(F.col("oldest") < F.col("article_id"), F.col("oldest"))).drop("oldest")
    # As the store asks: an article that is no exact copy, against every
    # earlier article sharing a band with it (exact copies among them).
    bands = docs.select("article_id", "exact_of", F.posexplode("bands").alias("band", "hash"))
    b = bands.filter(F.col("exact_of").isNull()).alias("b")
    c = bands.alias("c")
    pairs = b.join(c, (F.col("b.band") == F.col("c.band")) & (F.col("b.hash") == F.col("c.hash"))
                   & (F.col("c.article_id") < F.col("b.article_id"))) \
        .select(F.col("b.article_id").alias("b"), F.col("c.article_id").alias("a")).distinct()
    fps = docs.select("article_id", "fingerprint")
    pair_lines = pairs \
        .join(fps.toDF("a", "fa"), "a").join(fps.toDF("b", "fb"), "b") \
        .select(F.to_json(F.struct("a", "b", "fa", "fb")).alias("line"))
    scored = pair_lines.rdd.map(lambda r: r.line).pipe(
        shlex.join([runs, "backfill", "similar"]), checkCode=True)
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
    docs.count()
    t = step("near-duplicates", t)
    # A copy's group is its original's: follow "copies" until a fixpoint
    # (pointer jumping: each round halves every chain; only copies move).
    links = docs.filter(F.col("dup_of").isNotNull()) \
        .select("article_id", F.col("dup_of").alias("g")).localCheckpoint()
    while True:
        x, y = links.alias("x"), links.alias("y")
        hop = x.join(y, F.col("x.g") == F.col("y.article_id"), "left") \
            .select(F.col("x.article_id").alias("article_id"),
                    F.coalesce(F.col("y.g"), F.col("x.g")).alias("g"),
                    F.col("y.g").isNotNull().alias("moved")).localCheckpoint()
        links = hop.drop("moved")
        if hop.filter("moved").isEmpty():
            break
    groups = links.withColumnRenamed("g", "dup_group")
    docs = docs.join(groups, "article_id", "left") \
        .withColumn("dup_group", F.coalesce("dup_group", "article_id")) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    t = step("duplicate groups", t)

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
        shlex.join([runs, "backfill", "cluster"]), checkCode=True)
    out = spark.read.schema(CLUSTER_OUT_SCHEMA).json(clustered).persist(StorageLevel.MEMORY_AND_DISK)
    out.count()
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

    # 5. The tables, by the binary's own columns: each document's JSON
    # with what the steps above decided, as Arrow into `backfill arrow`.
    facts = docs.select("file", "record", "article_id", "dup_group", "dup_kind", "dup_of",
                        "dup_similarity").join(per_doc, "article_id", "left")
    # Read back in batches of 256 rows, not Spark's 4,096: a batch of
    # documents' JSON (about 20 KB each) must fit a small executor's heap.
    spark.conf.set("spark.sql.parquet.columnarReaderBatchSize", "256")
    staged = spark.read.parquet(os.path.join(staging, "docs"))
    rows_in = staged.join(facts, ["file", "record"]) \
        .select("article_id", "dup_group", "dup_kind", "dup_of", "dup_similarity",
                "clusters", "doc")
    day = F.coalesce(F.date_format("published", "yyyy-MM-dd"), F.lit("undated"))
    for table in ["documents", "events"]:
        command = ["backfill", "arrow", "--table", table]
        rows = rows_in.mapInArrow(through([runs, *command], arrow_in=True),
                                  arrow_schema([binary, *command]))
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
        "unreadable_inputs": partial,
        "text_bytes": counts.bytes or 0,
        "documents": reread["documents"],
        "events": reread["events"],
        "clusters": reread["clusters"],
        "seconds": timings,
        "total_seconds": round(time.time() - started, 3),
        "extract_mb_per_s": round((counts.bytes or 0) / 1e6 / max(timings["extract"], 1e-9), 3),
    }
    write_text(spark, os.path.join(a.output, "_manifest.json"), json.dumps(manifest, indent=2))
    remove(spark, staging)
    print(json.dumps(manifest))
    spark.stop()
    if partial or counts.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
