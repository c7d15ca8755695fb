#!/usr/bin/env python3
"""Builds the backfill's test archive: WARC files and a JSONL file from our
own articles, as a crawl would hold them.

    python3 scripts/make-warc-fixture.py OUT_DIR [--stories N] [--warcs K]

Writes OUT_DIR/crawl-00.warc.gz … (K files, records dealt round-robin) and
OUT_DIR/records.jsonl, from two sources:

- the bundled examples (examples/articles/*.txt, examples/pages/*.html),
  each as an HTML page in a WARC `response` record;
- a store corpus of N synthetic stories with their copies, rewrites and
  independent reports (scripts/make-store-corpus.py), so the archive holds
  duplicates to find and events to cluster: three quarters as WARC pages,
  the rest as JSONL records.

Every WARC record is its own gzip member, as Common Crawl writes them. The
output is a function of N, K and the seed: the same command gives the same
bytes.
"""
import argparse
import gzip
import html
import io
import json
import os
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def page(title, text, url, published):
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n") if p.strip())
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title or '')}</title>{meta}"
        f'<link rel="canonical" href="{html.escape(url)}"></head>\n'
        f"<body><article><h1>{html.escape(title or '')}</h1>\n{paras}</article></body></html>\n"
    )


def warc_record(url, date, body, seq):
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    # A name-based UUID: the same input gives the same record id.
    rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{url}#{seq}")
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    buf = io.BytesIO()
    # mtime=0: no timestamp in the gzip header, so the bytes are stable.
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(head + http + b"\r\n\r\n")
    return buf.getvalue()


def examples():
    out = []
    d = os.path.join(ROOT, "examples", "articles")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        title, published, url, body = None, None, None, []
        for line in lines:
            if line.startswith("Title:") and title is None:
                title = line[6:].strip()
            elif line.startswith("Published:") and published is None:
                published = line[10:].strip()
            elif line.startswith("URL:") and url is None:
                url = line[4:].strip()
            else:
                body.append(line)
        url = url or f"https://examples.sitrep.test/articles/{name[:-4]}"
        out.append((url, published, page(title, "\n".join(body).strip(), url, published).encode()))
    d = os.path.join(ROOT, "examples", "pages")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            out.append((f"https://examples.sitrep.test/pages/{name}", None, f.read()))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--stories", type=int, default=60)
    ap.add_argument("--warcs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    corpus_dir = os.path.join(a.out, "corpus")
    subprocess.run(
        [sys.executable, os.path.join(HERE, "make-store-corpus.py"), corpus_dir,
         "--stories", str(a.stories), "--seed", str(a.seed)],
        check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(corpus_dir, "corpus.jsonl"), encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f if line.strip()]
    records = examples()
    jsonl = []
    for i, r in enumerate(corpus):
        if i % 4 == 3:
            jsonl.append(r)
            continue
        published = r.get("published")
        records.append((r["url"], published, page(r.get("title"), r["text"], r["url"], published).encode()))
    warcs = [bytearray() for _ in range(a.warcs)]
    for seq, (url, published, body) in enumerate(records):
        date = f"{published[:10]}T12:00:00Z" if published else "2025-01-01T00:00:00Z"
        warcs[seq % a.warcs] += warc_record(url, date, body, seq)
    for k, data in enumerate(warcs):
        with open(os.path.join(a.out, f"crawl-{k:02d}.warc.gz"), "wb") as f:
            f.write(data)
    with open(os.path.join(a.out, "records.jsonl"), "w", encoding="utf-8") as f:
        for r in jsonl:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(records)} WARC records in {a.warcs} files, {len(jsonl)} JSONL records: {a.out}")


if __name__ == "__main__":
    main()
