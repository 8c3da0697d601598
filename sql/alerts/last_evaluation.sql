-- The last evaluation of the watches (migrations/0190_alert_seen_identity.sql): the newest snapshot it saw,
-- the hash of its inputs besides identity, and the hash of the identity tables it saw. No row before the
-- first.
SELECT snapshot_id, inputs_hash, identity_hash
FROM alert_evaluation;
