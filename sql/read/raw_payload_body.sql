-- The compression and table-held bytes of one payload (empty once its bytes are in its file,
-- tracker/payload_files.py).
SELECT compression, body FROM raw_payloads WHERE payload_hash = $payload_hash;
