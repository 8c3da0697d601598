-- Raw payloads whose bytes are still in the table (a database from before payload files), named by a
-- sha256 (anything else, written by hand, stays in the table): one row per payload hash;
-- tracker/payload_files.move_bodies_out writes each to its file.
SELECT payload_hash FROM raw_payloads
WHERE octet_length(body) > 0 AND regexp_full_match(payload_hash, '[0-9a-f]{64}')
ORDER BY payload_hash;
