-- After the bodies of the payloads $hashes were written to their files (tracker/payload_files.move_bodies_out):
-- the table keeps each such payload's row with an empty body.
UPDATE raw_payloads SET body = ''::BLOB
WHERE list_contains($hashes, payload_hash);
