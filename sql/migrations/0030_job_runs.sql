-- Poll cycles: one row per run of a scheduled job (or of `tracker poll`), whatever happened. The scheduler's
-- catch-up after downtime reads each job's last successful run from here; `tracker status` shows the last run.
CREATE SEQUENCE job_run_id_seq START 1;

CREATE TABLE job_runs (
    run_id         BIGINT PRIMARY KEY DEFAULT nextval('job_run_id_seq'),
    job            VARCHAR NOT NULL,             -- job name from the config (or 'poll' for URLs given by hand)
    source         VARCHAR,                      -- the job's source hint, e.g. arena-page
    started_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ NOT NULL,
    -- ok: every fetch ok | partial: some failed | failed: none ok | interrupted: stopped by a shutdown
    outcome        VARCHAR NOT NULL CHECK (outcome IN ('ok', 'partial', 'failed', 'interrupted')),
    targets        INTEGER NOT NULL,             -- URLs the job has
    fetches        INTEGER NOT NULL,             -- URLs fetched this run (fewer when interrupted)
    failures       INTEGER NOT NULL,
    snapshots_new  INTEGER NOT NULL,
    error          VARCHAR                       -- the first failure's message
);
