-- Record an evaluation of the watches (migrations/0180_alert_evaluation.sql): the newest snapshot now and
-- $inputs_hash (VARCHAR), at $now (TIMESTAMPTZ), in place of the last one.
INSERT OR REPLACE INTO alert_evaluation (id, snapshot_id, inputs_hash, evaluated_at)
SELECT 1, max(snapshot_id), $inputs_hash, $now
FROM snapshots;
