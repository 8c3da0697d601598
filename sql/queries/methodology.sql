-- Methodology changes upstream (CI method, rank definition, ...): one row per change, oldest first; a null board column means every board.
SELECT event_date, kind, title, leaderboard, arena, category, style_control, description, date_note, reference
FROM methodology_events
ORDER BY event_date, event_id;
