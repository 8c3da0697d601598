-- One row: when the tracker last reached upstream, from the fetch log: last_success_at (the newest fetch of
-- a URL that answered with data or "not modified") and last_attempt_at (the newest fetch of a URL,
-- whatever its outcome). Imports of local files, the bundled starter history among them, are no fetch of
-- upstream and are not counted; both are null until a poll has run.
SELECT
    max(finished_at) FILTER (WHERE outcome IN ('new', 'unchanged', 'not_modified')) AS last_success_at,
    max(finished_at) AS last_attempt_at
FROM fetches
WHERE regexp_matches(origin, '^https?://', 'i');
