-- The newest fetch row of one URL (what a poll just recorded): outcome, HTTP status, bytes, milliseconds,
-- new snapshots and error, for the per-fetch log line.
SELECT outcome, http_status, size_bytes, duration_ms, snapshots_new, rows_written, error
FROM fetches
WHERE origin = $origin
ORDER BY fetch_id DESC
LIMIT 1;
