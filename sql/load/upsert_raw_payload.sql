-- Keep a payload's bytes once; a payload first rejected and later loaded (after a parser fix) becomes loaded.
INSERT INTO raw_payloads
VALUES ($payload_hash, $source, $origin, $size_bytes, $compression, $body, $status, $first_seen_at)
ON CONFLICT (payload_hash) DO UPDATE SET
    status = CASE WHEN excluded.status = 'loaded' THEN 'loaded' ELSE raw_payloads.status END;
