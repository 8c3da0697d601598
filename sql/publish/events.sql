-- The read copy's events rows (the default stream: top 10, moves of 10 places) for the board $arena /
-- $category / $style_control, or with null arguments every board's and every methodology row: the stream
-- is built from windows over a board's whole history, so it is stored. For one board the methodology rows
-- are left out (methodology_events.sql refreshes them once per publish). With $after, only the events dated
-- after it, from the board's rows dated on or after $from_date (both from events_since.sql: a board's
-- appended dates); null: all of them. Runs with the read copy as the default catalogue (events_for reads
-- the copy's ranked). Sorted by board and date.
SELECT *
FROM events_for(
    10, 10, CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR),
    CAST($style_control AS BOOLEAN), from_date := CAST($from_date AS DATE)
)
WHERE (CAST($leaderboard AS VARCHAR) IS NULL OR kind <> 'methodology')
  AND (CAST($after AS DATE) IS NULL OR event_date > $after)
ORDER BY leaderboard, arena, category, style_control, event_date, kind, model
