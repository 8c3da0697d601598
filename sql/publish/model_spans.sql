-- The read copy's model_spans rows (each model's span on a board) for the board $arena / $category /
-- $style_control (null arguments: every board): the model picker would aggregate every standing on each
-- visit (~0.6 s at 15 M standings), so they are stored. Runs with the read copy as the default catalogue
-- (model_spans_for reads the copy's rank_history, the history table). Sorted by board and model.
SELECT *
FROM model_spans_for(CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN))
ORDER BY leaderboard, arena, category, style_control, model
