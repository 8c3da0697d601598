-- Record one fetch or import attempt.
INSERT INTO fetches (source, origin, job, started_at, finished_at, duration_ms, outcome, http_status,
                     size_bytes, payload_hash, snapshots_new, rows_written, etag, last_modified, error)
VALUES ($source, $origin, $job, $started_at, $finished_at, $duration_ms, $outcome, $http_status,
        $size_bytes, $payload_hash, $snapshots_new, $rows_written, $etag, $last_modified, $error);
