-- A payload's row, the first time it is seen (store.save_raw checks for it first); its bytes are in its file
-- (tracker/payload_files.py), so the body column stays empty.
INSERT INTO raw_payloads
VALUES ($payload_hash, $source, $origin, $size_bytes, $compression, ''::BLOB, $status, $first_seen_at);
