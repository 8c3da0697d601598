-- One row per job that has run: its source, last run (start, outcome, fetches, failures, new snapshots, first
-- error), last successful run, and how many of its latest runs in a row failed outright.
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY job ORDER BY run_id DESC) AS recency
    FROM job_runs
),
last_ok AS (
    SELECT job, min(recency) AS recency FROM ranked WHERE outcome IN ('ok', 'partial') GROUP BY job
)
SELECT r.job,
       arg_max(r.source, r.run_id) AS source,
       max(r.started_at) AS last_run_at,
       arg_max(r.outcome, r.run_id) AS last_outcome,
       arg_max(r.fetches, r.run_id) AS last_fetches,
       arg_max(r.failures, r.run_id) AS last_failures,
       arg_max(r.snapshots_new, r.run_id) AS last_snapshots_new,
       max(r.finished_at) FILTER (WHERE r.outcome IN ('ok', 'partial')) AS last_success_at,
       count(*) FILTER (WHERE r.outcome = 'failed' AND r.recency < coalesce(l.recency, 1e18)) AS failed_runs_in_a_row,
       arg_max(r.error, r.run_id) AS last_error
FROM ranked AS r
LEFT JOIN last_ok AS l USING (job)
GROUP BY r.job
ORDER BY r.job;
