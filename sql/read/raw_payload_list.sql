-- Every stored payload in the order it first arrived (reparse replays them in this order), with its status
-- before the replay (loaded | rejected), so reparse can tell a new failure from a payload rejected before.
SELECT payload_hash, source, origin, first_seen_at, status FROM raw_payloads ORDER BY first_seen_at, payload_hash;
