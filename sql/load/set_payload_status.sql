-- Mark a payload loaded or rejected after a reparse.
UPDATE raw_payloads SET status = $status WHERE payload_hash = $payload_hash;
