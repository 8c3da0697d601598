-- update_delivery: the outcome of one attempt on one (event, target) delivery: status sent | pending (retry
-- at $next_attempt_at) | failed (gave up), one more attempt, the last HTTP status and error. No rows come back.
UPDATE alert_deliveries
SET status = $status,
    attempts = attempts + 1,
    next_attempt_at = $next_attempt_at,
    sent_at = CASE WHEN $status = 'sent' THEN $now ELSE sent_at END,
    last_http_status = $http_status,
    last_error = $error
WHERE event_key = $event_key AND target = $target;
