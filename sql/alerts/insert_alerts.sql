-- insert_alerts: store the events of the registered `alert_found` (confirmed.sql rows, possibly one per
-- watch) that are not stored yet, one row per event_key (its earliest confirmation). Returns the new event_keys.
INSERT INTO alerts
SELECT DISTINCT ON (f.event_key)
    f.event_key, f.kind, f.event_date, f.confirmed_as_of, f.arena, f.category, f.style_control,
    f.model, f.display_name, f.other_model, f.other_display_name, f.rank_before, f.rank_after, f.top_n,
    f.significant, f.sentence, $now
FROM alert_found AS f
ANTI JOIN alerts AS a ON a.event_key = f.event_key
ORDER BY f.event_key, f.confirmed_as_of
RETURNING event_key;
