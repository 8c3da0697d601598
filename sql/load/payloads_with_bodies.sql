-- Raw payloads whose bytes are still in the table (a database from before payload files): one row per
-- payload hash; tracker/payload_files.bodies_in_table keeps those named by a sha256 (anything else, written
-- by hand, stays in the table) and move_bodies_out writes each to its file.
SELECT payload_hash FROM raw_payloads
WHERE octet_length(body) > 0
ORDER BY payload_hash;
