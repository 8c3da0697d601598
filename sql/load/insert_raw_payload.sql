-- Keep a payload's bytes, the first time they are seen. (A plain INSERT: ON CONFLICT on a row with a
-- 40 MB body cost ~4 s against ~0.5 s, so store.save_raw checks for the row first.)
INSERT INTO raw_payloads
VALUES ($payload_hash, $source, $origin, $size_bytes, $compression, $body, $status, $first_seen_at);
