-- The identity as the last evaluation of the watches saw it, so that an identity change narrows the next
-- evaluation instead of widening it to every board: alert_evaluation (0180) gains identity_hash (a hash of
-- the identity tables then: tracker/alerts/rules.py), and the alert_seen_* tables hold the columns of the
-- identity tables that decide how a standing resolves (those sql/publish/identity_boards.sql compares). When
-- the identity changed since, the evaluation after an ingest reads, besides the boards with new snapshots,
-- the boards whose evaluated snapshots the change resolves differently (identity_boards.sql against these
-- tables); a new model or spelling, seen only in the new snapshots, adds none. Every board was read after
-- each poll that brought a new model: a watch of one model on every board, 48 s at 10x history.
-- The record of 0180 is replaced (the next evaluation reads every board once), not altered.
DROP TABLE alert_evaluation;
CREATE TABLE alert_evaluation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    snapshot_id BIGINT,                 -- the newest snapshot when it ran (null: there were none)
    inputs_hash VARCHAR NOT NULL,       -- what else decides the events, identity aside
    identity_hash VARCHAR NOT NULL,     -- the identity tables, as the alert_seen_* tables hold them
    evaluated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE alert_seen_model_aliases (alias VARCHAR NOT NULL, model_key VARCHAR NOT NULL);
CREATE TABLE alert_seen_models (model_key VARCHAR NOT NULL, display_name VARCHAR, org_key VARCHAR);
CREATE TABLE alert_seen_org_aliases (alias VARCHAR NOT NULL, org_key VARCHAR NOT NULL);
CREATE TABLE alert_seen_organizations (org_key VARCHAR NOT NULL, display_name VARCHAR NOT NULL);
