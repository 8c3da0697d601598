-- Record an evaluation of the watches (migrations/0190_alert_seen_identity.sql): the newest snapshot now,
-- $inputs_hash (VARCHAR) and $identity_hash (VARCHAR), at $now (TIMESTAMPTZ), in place of the last one.
INSERT OR REPLACE INTO alert_evaluation (id, snapshot_id, inputs_hash, identity_hash, evaluated_at)
SELECT 1, max(snapshot_id), $inputs_hash, $identity_hash, $now
FROM snapshots;
