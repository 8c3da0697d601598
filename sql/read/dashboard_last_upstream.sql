-- One row: when the tracker last reached upstream (the newest successful fetch) and last tried (the newest
-- fetch, whatever its outcome), over fetches that reached for upstream only (polls and backfills), as in
-- status_sources.sql: imported files and the starter history are data, not fetches. Both null until the
-- first poll. For the dashboard's sidebar, beside how old the newest data is.
SELECT
    max(finished_at) FILTER (WHERE outcome IN ('new', 'unchanged', 'not_modified')) AS last_success_at,
    max(finished_at) AS last_attempt_at
FROM fetches
WHERE coalesce(job, '') NOT IN ('import', 'seed');
