-- The read copy's board_dates rows for the board $arena / $category / $style_control (null arguments: every
-- board), from the writer's view: it aggregates the board's standings and windows over chosen_snapshots, and
-- `ranked` (so every analytics view), the sidebar and board_as_of read it, so it is stored. The values reach
-- the scans as constants. Sorted by board and date. tracker/read_copy.py wraps it in CREATE TABLE (a full
-- publish) or INSERT (once per changed board).
SELECT *
FROM board_dates
WHERE (CAST($leaderboard AS VARCHAR) IS NULL OR leaderboard = $leaderboard)
  AND (CAST($arena AS VARCHAR) IS NULL OR arena = $arena)
  AND (CAST($category AS VARCHAR) IS NULL OR category = $category)
  AND (CAST($style_control AS BOOLEAN) IS NULL OR style_control = $style_control)
ORDER BY leaderboard, arena, category, style_control, as_of
