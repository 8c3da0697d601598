-- The read copy's org_race rows (each organisation's best rank per board and date) for the board $arena /
-- $category / $style_control (null arguments: every board), and only the dates in $dates (null: every date;
-- a date's rows depend on that date's rows alone, so a board's appended dates add theirs): the view groups
-- a board's whole history before a date filter can apply, so they are stored. Runs with the read copy as
-- the default catalogue (org_race_for reads the copy's ranked). Sorted by board, date and rank.
SELECT *
FROM org_race_for(CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN))
WHERE CAST($dates AS DATE[]) IS NULL OR list_contains(CAST($dates AS DATE[]), as_of)
ORDER BY leaderboard, arena, category, style_control, as_of, best_rank, organization
