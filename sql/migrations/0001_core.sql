-- Core schema: boards are natural keys (arena, category, style_control); snapshots group standings;
-- raw payloads keep the exact upstream bytes so `tracker reparse` can rebuild everything.

CREATE SEQUENCE snapshot_id_seq START 1;
CREATE SEQUENCE fetch_id_seq START 1;

-- Every distinct payload ever received, compressed. status: loaded | rejected.
CREATE TABLE raw_payloads (
    payload_hash   VARCHAR PRIMARY KEY,          -- sha256 of the uncompressed bytes
    source         VARCHAR NOT NULL,
    origin         VARCHAR NOT NULL,             -- URL or file path it first came from
    size_bytes     BIGINT NOT NULL,
    compression    VARCHAR NOT NULL,             -- zlib | none
    body           BLOB NOT NULL,
    status         VARCHAR NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL
);

-- One row per fetch or import attempt, whatever happened.
CREATE TABLE fetches (
    fetch_id        BIGINT PRIMARY KEY DEFAULT nextval('fetch_id_seq'),
    source          VARCHAR,                     -- null when the format could not be recognised
    origin          VARCHAR NOT NULL,
    job             VARCHAR,                     -- scheduler job name, or 'import' / 'poll' / 'backfill'
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    duration_ms     DOUBLE NOT NULL,
    outcome         VARCHAR NOT NULL CHECK (outcome IN ('new', 'unchanged', 'not_modified', 'rejected', 'failed')),
    http_status     INTEGER,
    size_bytes      BIGINT,
    payload_hash    VARCHAR,
    snapshots_new   INTEGER NOT NULL DEFAULT 0,
    rows_written    BIGINT NOT NULL DEFAULT 0,
    etag            VARCHAR,
    last_modified   VARCHAR,
    error           VARCHAR
);

-- One board as published at one time by one source.
CREATE TABLE snapshots (
    snapshot_id    BIGINT PRIMARY KEY,
    source         VARCHAR NOT NULL,
    arena          VARCHAR NOT NULL,
    category       VARCHAR NOT NULL,
    style_control  BOOLEAN NOT NULL,
    as_of          TIMESTAMPTZ NOT NULL,
    as_of_kind     VARCHAR NOT NULL,             -- publish_date | vote_cutoff | capture_time | commit_date
    rank_meaning   VARCHAR,                      -- ub | ordinal | null: what rank_published meant upstream
    fetched_at     TIMESTAMPTZ NOT NULL,
    payload_hash   VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,             -- md5 of the snapshot's rows; same content is never stored twice
    row_count      INTEGER NOT NULL,
    UNIQUE (source, arena, category, style_control, as_of, content_hash)
);

-- One row per model per snapshot. model_key is the source's key (normalised); identity views map it.
CREATE TABLE standings (
    snapshot_id     BIGINT NOT NULL,
    model_key       VARCHAR NOT NULL,
    display_name    VARCHAR,
    organization    VARCHAR,
    license         VARCHAR,
    rating          DOUBLE NOT NULL,
    rating_lower    DOUBLE,
    rating_upper    DOUBLE,
    votes           BIGINT,
    rank_published  INTEGER,
    rank_ordinal    INTEGER NOT NULL,            -- 1 + models with a strictly higher rating
    rank_ub         INTEGER,                     -- 1 + models whose lower bound > this upper bound
    rank_lb         INTEGER,                     -- models whose upper bound >= this lower bound
    extra           JSON                         -- upstream fields without a canonical column
);

-- Identity: canonical models and organisations, and every spelling that maps to them.
CREATE TABLE models (
    model_key     VARCHAR PRIMARY KEY,
    display_name  VARCHAR,
    org_key       VARCHAR,
    family        VARCHAR
);

CREATE TABLE model_aliases (
    alias       VARCHAR PRIMARY KEY,             -- normalised (lower case, trimmed) upstream key or name
    model_key   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,                -- rename | display_name | key | user
    note        VARCHAR
);

CREATE TABLE organizations (
    org_key       VARCHAR PRIMARY KEY,
    display_name  VARCHAR NOT NULL
);

CREATE TABLE org_aliases (
    alias    VARCHAR PRIMARY KEY,                -- normalised spelling
    org_key  VARCHAR NOT NULL
);

-- Which source wins when several publish the same board and date (lower wins).
CREATE TABLE source_precedence (
    source      VARCHAR PRIMARY KEY,
    precedence  INTEGER NOT NULL
);

INSERT INTO source_precedence VALUES
    ('arena-dataset', 10),
    ('arena-page', 20),
    ('arena-catalog', 30),
    ('legacy-space', 40),
    ('fboulnois', 50),
    ('kevinschaul', 55),
    ('acarter881', 56),
    ('samica666', 57),
    ('jasontrigg0', 60),
    ('nakasyou', 70);
