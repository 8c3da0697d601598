-- Fetches per day and outcome (new, unchanged, not_modified, rejected, failed) since $since: one row per
-- day and outcome with the count. Feeds the health page's chart.
SELECT CAST(timezone('UTC', finished_at) AS DATE) AS day, outcome, count(*) AS fetches
FROM fetches
WHERE finished_at >= $since
GROUP BY ALL
ORDER BY day, outcome;
