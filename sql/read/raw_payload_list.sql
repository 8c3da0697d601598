-- Every stored payload in the order it first arrived (reparse replays them in this order).
SELECT payload_hash, source, origin, first_seen_at FROM raw_payloads ORDER BY first_seen_at, payload_hash;
