-- The last evaluation of the watches (migrations/0180_alert_evaluation.sql): the newest snapshot it saw and
-- the hash of its other inputs. No row before the first.
SELECT snapshot_id, inputs_hash
FROM alert_evaluation;
