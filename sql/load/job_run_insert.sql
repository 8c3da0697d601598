-- Record one run of a poll job (one row; see migrations/0030_job_runs.sql).
INSERT INTO job_runs (job, source, started_at, finished_at, outcome, targets, fetches, failures, snapshots_new, error)
VALUES ($job, $source, $started_at, $finished_at, $outcome, $targets, $fetches, $failures, $snapshots_new, $error);
