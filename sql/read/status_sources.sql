-- One row per source: fetch counts, last success, last failure and its message, consecutive failures.
WITH ordered AS (
    SELECT *,
           outcome IN ('new', 'unchanged', 'not_modified') AS ok,
           row_number() OVER (PARTITION BY source ORDER BY fetch_id DESC) AS recency
    FROM fetches
),
last_ok AS (
    SELECT source, min(recency) AS recency FROM ordered WHERE ok GROUP BY source
)
SELECT o.source,
       count(*) AS fetches,
       max(o.finished_at) FILTER (WHERE o.ok) AS last_success_at,
       max(o.finished_at) FILTER (WHERE NOT o.ok) AS last_failure_at,
       arg_max(o.error, o.fetch_id) FILTER (WHERE NOT o.ok) AS last_error,
       arg_max(o.outcome, o.fetch_id) AS last_outcome,
       count(*) FILTER (WHERE NOT o.ok AND o.recency < coalesce(l.recency, 1e18)) AS consecutive_failures
FROM ordered AS o
LEFT JOIN last_ok AS l USING (source)
GROUP BY o.source
ORDER BY o.source NULLS LAST;
