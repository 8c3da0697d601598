-- What the macros and views were last created from: one row, the fingerprint of sql/macros and sql/views
-- (tracker.sqlfiles.fingerprint). A writer recreates them when their SQL or the schema changed, not on every
-- open (recreating ~40 macros and views cost ~0.12 s of each open).
CREATE TABLE sql_objects (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint VARCHAR NOT NULL
);
