-- What the last evaluation of the watches covered: one row, replaced by each (sql/alerts/set_evaluation.sql).
-- The evaluation after an ingest reads only the boards with snapshots newer than snapshot_id
-- (sql/alerts/boards_since.sql) when inputs_hash says nothing else that decides which events are confirmed
-- changed since: the watches and max_age, the identity tables, the methodology events, source precedence
-- and the SQL of the views and rules (tracker/alerts/rules.py). A board's events change only with its
-- snapshots or with those; reading every board instead cost a watch of one model 5-7 s on each poll with new
-- data (1x history).
CREATE TABLE alert_evaluation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    snapshot_id BIGINT,                 -- the newest snapshot when it ran (null: there were none)
    inputs_hash VARCHAR NOT NULL,
    evaluated_at TIMESTAMPTZ NOT NULL
);
