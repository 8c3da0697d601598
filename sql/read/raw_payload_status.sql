-- The stored status (loaded | rejected) of one payload, or no row when its bytes were never kept.
SELECT status FROM raw_payloads WHERE payload_hash = $payload_hash;
