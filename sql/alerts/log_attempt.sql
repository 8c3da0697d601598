-- log_attempt: one row of the delivery log for one HTTP attempt (outcome sent | retry | failed). No rows come back.
INSERT INTO alert_delivery_log (event_key, target, attempt, attempted_at, outcome, http_status, duration_ms, error)
VALUES ($event_key, $target, $attempt, $attempted_at, $outcome, $http_status, $duration_ms, $error);
