-- One row: the newest successful fetch and the newest failed one (fetch log; a Parquet lake has none).
SELECT
    max(finished_at) FILTER (WHERE outcome IN ('new', 'unchanged', 'not_modified')) AS last_success_at,
    max(finished_at) FILTER (WHERE outcome IN ('rejected', 'failed')) AS last_failure_at
FROM fetches;
