-- insert_deliveries: queue one pending delivery per new match (registered `alert_new_matches`) and target
-- the watch routes to (registered `alert_routes`: watch, target), unless that event already has a delivery
-- to that target (the dedupe key). Returns the queued (event_key, target) pairs.
INSERT INTO alert_deliveries (event_key, target, status, attempts, created_at, next_attempt_at)
SELECT DISTINCT m.event_key, r.target, 'pending', 0, $now, $now
FROM alert_new_matches AS m
JOIN alert_routes AS r ON r.watch = m.watch
ANTI JOIN alert_deliveries AS d ON d.event_key = m.event_key AND d.target = r.target
RETURNING event_key, target;
