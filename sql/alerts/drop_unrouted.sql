-- drop_unrouted: pending deliveries to a target that is no longer configured ($targets: the configured
-- names) give up, saying why. Returns the (event_key, target) pairs given up.
UPDATE alert_deliveries
SET status = 'failed',
    last_error = 'target ' || target || ' is no longer in the [[alerts.targets]] of tracker.toml'
WHERE status = 'pending' AND NOT list_contains($targets, target)
RETURNING event_key, target;
