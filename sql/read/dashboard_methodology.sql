-- Methodology changes (from seeds/methodology_events.csv) that apply to one board ($arena, $category,
-- $style_control; a null board column in the seed means every board) between $start and $end: one row per
-- change with its date (as_of), short label, kind and sentence. Drawn as markers on time charts.
SELECT event_date AS as_of, title AS label, kind, description
FROM methodology_events
WHERE coalesce(leaderboard = $leaderboard AND arena = $arena, true)
  AND coalesce(category = $category, true)
  AND coalesce(style_control = $style_control, true)
  AND event_date BETWEEN $start AND $end
ORDER BY event_date, event_id;
