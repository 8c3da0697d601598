-- After every body was written to its file (tracker/payload_files.move_bodies_out): the table keeps each
-- such payload's row with an empty body.
UPDATE raw_payloads SET body = ''::BLOB
WHERE octet_length(body) > 0 AND regexp_full_match(payload_hash, '[0-9a-f]{64}');
