-- The read copy's crowns rows (every reign at #1) for the board $arena / $category / $style_control (null
-- arguments: every board): the view's gaps-and-islands windows run over every #1 of a board, so they are
-- stored. Runs with the read copy as the default catalogue, so crowns_for reads the copy's ranked (a
-- table there). Sorted by board and reign.
SELECT *
FROM crowns_for(CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN))
ORDER BY leaderboard, arena, category, style_control, rank_basis, reign_start, model
