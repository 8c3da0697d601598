-- A full publish starts from a copy of the writer's database file (store/read_copy.py): the read copy holds
-- raw_payloads without their bodies (they are files under payloads/), so any body still in the table (one
-- written by hand, not named by a sha256, payload_files.bodies_in_table) is emptied here.
UPDATE publish_copy.raw_payloads SET body = ''::BLOB
WHERE octet_length(body) > 0;
