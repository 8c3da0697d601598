-- insert_alerts: store the events of the registered `alert_found` (confirmed.sql rows, possibly one per
-- watch) that are not stored yet, one row per event_key (its earliest confirmation). Returns the new event_keys.
INSERT INTO alerts (
    event_key, kind, event_date, confirmed_as_of, leaderboard, arena, category, style_control, model, display_name,
    other_model, other_display_name, rank_before, rank_after, top_n, significant, sentence, detected_at
)
SELECT DISTINCT ON (f.event_key)
    f.event_key, f.kind, f.event_date, f.confirmed_as_of, f.leaderboard, f.arena, f.category, f.style_control,
    f.model, f.display_name, f.other_model, f.other_display_name, f.rank_before, f.rank_after, f.top_n,
    f.significant, f.sentence, $now
FROM alert_found AS f
ANTI JOIN alerts AS a ON a.event_key = f.event_key
ORDER BY f.event_key, f.confirmed_as_of
RETURNING event_key;
