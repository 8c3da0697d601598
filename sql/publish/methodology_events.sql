-- The read copy's events rows of kind methodology (every seeded methodology change, the same for every
-- board), refreshed whole at each incremental publish after delete_methodology_events.sql. The kind filter
-- leaves out every board branch of events_for, so this reads no history.
SELECT *
FROM events_for(10, 10, NULL, NULL, NULL, NULL)
WHERE kind = 'methodology'
ORDER BY leaderboard, arena, category, style_control, event_date, kind, model
