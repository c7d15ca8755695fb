-- sitrep store, schema version 1. Offsets are Unicode code points into
-- articles.text; `by` is the stage/rule that produced a row (see
-- docs/output-format.md). Dates are ISO 8601 text (TIMEX3 values for times).

CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    doc_id           TEXT NOT NULL,
    -- URL (else id) + exact text: an article already stored under its key
    -- is not ingested again.
    key              TEXT NOT NULL UNIQUE,
    -- The words, lower-cased, without punctuation: exact copies share it.
    content_hash     TEXT NOT NULL,
    url              TEXT,
    -- Who published it: the URL's host without "www.", else "unknown".
    source           TEXT NOT NULL,
    -- The wire agency credited in the dateline (AP, Reuters, AFP…).
    wire             TEXT,
    title            TEXT,
    published        TEXT,
    published_source TEXT NOT NULL,
    language         TEXT,
    text             TEXT NOT NULL,
    chars            INTEGER NOT NULL,
    shingles         INTEGER NOT NULL,
    minhash          BLOB NOT NULL,
    -- Hashes of its numbers and names (see dedupe.rs).
    key_terms        BLOB NOT NULL,
    -- Copies and rewrites of one story share dup_group: the id of the
    -- group's first stored article. An original has dup_group = id.
    dup_group        INTEGER NOT NULL,
    dup_kind         TEXT NOT NULL CHECK (dup_kind IN ('original', 'exact', 'near')),
    dup_of           INTEGER REFERENCES articles(id),
    dup_similarity   REAL,
    ingested_at      TEXT NOT NULL,
    -- The whole annotated document as `sitrep extract --format jsonl` writes it.
    doc              TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_dup_group ON articles(dup_group);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source);

-- MinHash LSH bands: candidates for near-duplicates by lookup.
CREATE TABLE lsh_bands (
    band       INTEGER NOT NULL,
    hash       INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band, hash, article_id)
) WITHOUT ROWID;

-- Full-text search over titles and texts (external content: articles).
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE entities (
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    idx         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    canonical   TEXT NOT NULL,
    role        TEXT,
    affiliation TEXT,
    by          TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX entities_canonical ON entities(canonical);

CREATE TABLE places (
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    idx          INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    name         TEXT,
    kind         TEXT NOT NULL,
    country      TEXT,
    admin1       TEXT,
    admin2       TEXT,
    lat          REAL,
    lon          REAL,
    gazetteer_id TEXT,
    confidence   REAL NOT NULL,
    metonymy     INTEGER NOT NULL,
    by           TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX places_gazetteer_id ON places(gazetteer_id);

CREATE TABLE times (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,
    value      TEXT NOT NULL,
    modifier   TEXT,
    by         TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE quotes (
    article_id        INTEGER NOT NULL REFERENCES articles(id),
    idx               INTEGER NOT NULL,
    start             INTEGER NOT NULL,
    end               INTEGER NOT NULL,
    text              TEXT NOT NULL,
    direct            INTEGER NOT NULL,
    speaker           TEXT,
    speaker_canonical TEXT,
    cue               TEXT,
    channel           TEXT,
    via               TEXT,
    by                TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX quotes_speaker ON quotes(speaker_canonical);

CREATE TABLE claims (
    article_id    INTEGER NOT NULL REFERENCES articles(id),
    idx           INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    value         REAL NOT NULL,
    value_max     REAL,
    qualifier     TEXT,
    unit          TEXT,
    kind          TEXT,
    attributed_to TEXT,
    time_value    TEXT,
    by            TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

-- Events across articles that are one real-world event (see
-- crates/sitrep-store/src/cluster.rs for the rule).
CREATE TABLE clusters (
    id             INTEGER PRIMARY KEY,
    root           TEXT NOT NULL,
    cameo          TEXT NOT NULL,
    -- 'factual' (asserted or reported), else the events' own modality.
    modality       TEXT NOT NULL,
    source_country TEXT,
    target_country TEXT,
    country        TEXT,
    place_name     TEXT,
    lat            REAL,
    lon            REAL,
    date_first     TEXT,
    date_last      TEXT,
    num_mentions   INTEGER NOT NULL,
    num_articles   INTEGER NOT NULL,
    num_sources    INTEGER NOT NULL,
    first_seen     TEXT,
    last_seen      TEXT
);
CREATE INDEX clusters_root_date ON clusters(root, date_last);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles(id),
    idx            INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    text           TEXT NOT NULL,
    cameo          TEXT NOT NULL,
    root           TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    plover         TEXT,
    plover_mode    TEXT,
    acled_type     TEXT,
    acled_sub_type TEXT,
    source_text    TEXT,
    source_name    TEXT,
    source_code    TEXT,
    source_country TEXT,
    target_text    TEXT,
    target_name    TEXT,
    target_code    TEXT,
    target_country TEXT,
    place_text     TEXT,
    place_name     TEXT,
    country        TEXT,
    lat            REAL,
    lon            REAL,
    date           TEXT,
    date_precision TEXT,
    attribution    TEXT,
    via            TEXT,
    modality       TEXT NOT NULL,
    confidence     REAL NOT NULL,
    by             TEXT NOT NULL,
    cluster_id     INTEGER REFERENCES clusters(id),
    UNIQUE (article_id, idx)
);
CREATE INDEX events_cluster ON events(cluster_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_root ON events(root);
