-- One row per job that ever had a successful run (at least one fetch ok): the job and when that run finished.
-- The scheduler runs a job at start when its next time after this has passed (catch-up after downtime).
SELECT job, max(finished_at) AS last_success_at
FROM job_runs
WHERE outcome IN ('ok', 'partial')
GROUP BY job
ORDER BY job;
