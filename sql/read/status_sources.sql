-- One row per source that was polled: fetch counts, last success, last failure and its message, the last
-- outcome, and consecutive failures: the longest current streak of failed (or rejected) fetches of any one
-- URL of that source, counted back from its newest fetch to its last success; failing_origins: how many of
-- the source's URLs are currently in such a streak. Only fetches that reached for upstream count (polls and
-- backfills): the rows of `tracker import` (job 'import') and of the starter history loaded by an older
-- tracker (job 'seed') record files read, not fetches. The writer also runs it for the status files.
WITH ordered AS (
    SELECT *,
           outcome IN ('new', 'unchanged', 'not_modified') AS ok,
           row_number() OVER (PARTITION BY source, origin ORDER BY fetch_id DESC) AS recency
    FROM fetches
    WHERE coalesce(job, '') NOT IN ('import', 'seed')
),
streaks AS (
    SELECT source, origin,
           coalesce(min(recency) FILTER (WHERE ok), count(*) + 1) - 1 AS streak
    FROM ordered
    GROUP BY source, origin
),
per_source AS (
    SELECT source, max(streak) AS consecutive_failures, count(*) FILTER (WHERE streak > 0) AS failing_origins
    FROM streaks
    GROUP BY source
)
SELECT o.source,
       count(*) AS fetches,
       max(o.finished_at) FILTER (WHERE o.ok) AS last_success_at,
       max(o.finished_at) FILTER (WHERE NOT o.ok) AS last_failure_at,
       arg_max(o.error, o.fetch_id) FILTER (WHERE NOT o.ok) AS last_error,
       arg_max(o.outcome, o.fetch_id) AS last_outcome,
       any_value(p.consecutive_failures) AS consecutive_failures,
       any_value(p.failing_origins) AS failing_origins
FROM ordered AS o
LEFT JOIN per_source AS p ON p.source IS NOT DISTINCT FROM o.source
GROUP BY o.source
ORDER BY o.source NULLS LAST;
