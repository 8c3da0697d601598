-- insert_matches: record which watch confirmed which event (from the registered `alert_found`), once per
-- pair. Returns the new (event_key, watch) pairs: only they queue deliveries.
INSERT INTO alert_matches
SELECT DISTINCT f.event_key, f.watch, f.confirmed_as_of, $now
FROM alert_found AS f
ANTI JOIN alert_matches AS m ON m.event_key = f.event_key AND m.watch = f.watch
RETURNING event_key, watch;
