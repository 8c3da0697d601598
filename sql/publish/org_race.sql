-- The read copy's org_race rows (each organisation's best rank per board and date) for the board $arena /
-- $category / $style_control (null arguments: every board): the view groups a board's whole history
-- before a date filter can apply, so they are stored. Runs with the read copy as the default catalogue
-- (org_race_for reads the copy's ranked). Sorted by board, date and rank.
SELECT *
FROM org_race_for(CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN))
ORDER BY leaderboard, arena, category, style_control, as_of, best_rank, organization
