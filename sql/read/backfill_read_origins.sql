-- Origins of one source that a backfill has already read, one row each: `absent` is true when the URL
-- answered 404 (the file did not exist at that commit), false when its payload was stored or rejected.
-- Files at a commit never change, so a backfill skips these without a request.
SELECT origin, bool_or(http_status = 404) AND NOT bool_or(outcome IN ('new', 'unchanged', 'rejected')) AS absent
FROM fetches
WHERE source = $source
  AND (outcome IN ('new', 'unchanged', 'rejected') OR (outcome = 'failed' AND http_status = 404))
GROUP BY origin;
