-- The ETag and Last-Modified of the newest successful fetch of one URL, for a conditional GET.
SELECT etag, last_modified
FROM fetches
WHERE origin = $origin AND outcome IN ('new', 'unchanged', 'not_modified') AND (etag IS NOT NULL OR last_modified IS NOT NULL)
ORDER BY fetch_id DESC
LIMIT 1;
