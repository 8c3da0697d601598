-- The event stream (events view: new #1, top-10 entries and exits, debuts, exits, moves of 10+ places,
-- significant overtakes, methodology changes) for one board ($arena, $category, $style_control; methodology
-- changes for every board included) between $start and $end: one row per event, newest first.
SELECT event_date, kind, display_name, other_display_name, rank_before, rank_after, significant, sentence
FROM events
WHERE coalesce(leaderboard = $leaderboard AND arena = $arena, true) AND coalesce(category = $category, true)
  AND coalesce(style_control = $style_control, true)
  AND event_date BETWEEN $start AND $end
ORDER BY event_date DESC, kind, display_name;
