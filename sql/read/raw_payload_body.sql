-- The stored bytes of one payload.
SELECT compression, body FROM raw_payloads WHERE payload_hash = $payload_hash;
