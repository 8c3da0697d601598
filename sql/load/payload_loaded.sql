-- 1 when this payload was stored successfully before (so it can be skipped), else no row.
SELECT 1 FROM raw_payloads WHERE payload_hash = $payload_hash AND status = 'loaded';
