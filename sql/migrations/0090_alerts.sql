-- Alerts (tracker/alerts): events a watch in tracker.toml cares about, once they have persisted long enough;
-- which watches matched them; one delivery per event and target (the dedupe key: an event is sent to a
-- target at most once); every delivery attempt; and the local notifications the dashboard shows.

CREATE SEQUENCE alert_attempt_seq START 1;
CREATE SEQUENCE notification_seq START 1;

-- One row per event (new #1, top-N entry or exit, rank move, overtake, debut, exit, methodology change).
CREATE TABLE alerts (
    event_key           VARCHAR PRIMARY KEY,     -- md5 of kind, board, models, event date (and N for top-N kinds)
    kind                VARCHAR NOT NULL,
    event_date          DATE NOT NULL,           -- the board date on which the change first showed
    confirmed_as_of     DATE NOT NULL,           -- the board date on which it had held for `persist` dates
    arena               VARCHAR,                 -- null for a methodology change that concerns every board
    category            VARCHAR,
    style_control       BOOLEAN,
    model               VARCHAR,
    display_name        VARCHAR,
    other_model         VARCHAR,                 -- the previous #1, the overtaken model
    other_display_name  VARCHAR,
    rank_before         INTEGER,                 -- ordinal ranks
    rank_after          INTEGER,
    top_n               INTEGER,                 -- N of a top-N entry or exit
    significant         BOOLEAN,
    sentence            VARCHAR NOT NULL,
    detected_at         TIMESTAMPTZ NOT NULL
);

-- Which watches an event matched, and when each confirmed it (watches may differ in `persist`).
CREATE TABLE alert_matches (
    event_key        VARCHAR NOT NULL,
    watch            VARCHAR NOT NULL,
    confirmed_as_of  DATE NOT NULL,
    matched_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_key, watch)
);

-- One row per event and target: pending until a 2xx answer (sent) or until it gives up (failed).
CREATE TABLE alert_deliveries (
    event_key        VARCHAR NOT NULL,
    target           VARCHAR NOT NULL,
    status           VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ,
    last_http_status INTEGER,
    last_error       VARCHAR,
    PRIMARY KEY (event_key, target)
);

-- The delivery log: every attempt, whatever happened.
CREATE TABLE alert_delivery_log (
    attempt_id    BIGINT PRIMARY KEY DEFAULT nextval('alert_attempt_seq'),
    event_key     VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    attempt       INTEGER NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    outcome       VARCHAR NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed')),
    http_status   INTEGER,
    duration_ms   DOUBLE NOT NULL,
    error         VARCHAR
);

-- What the dashboard shows: one row per alert, newest first by notification_id.
CREATE TABLE notifications (
    notification_id  BIGINT PRIMARY KEY DEFAULT nextval('notification_seq'),
    event_key        VARCHAR NOT NULL UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL,
    event_date       DATE NOT NULL,
    kind             VARCHAR NOT NULL,
    board            VARCHAR,                    -- e.g. 'text/overall (raw)'; null = every board
    title            VARCHAR NOT NULL,
    sentence         VARCHAR NOT NULL,
    watches          VARCHAR[] NOT NULL
);
