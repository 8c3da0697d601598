-- One model's ($model) ordinal rank and rank (UB) on every board over time (from `ranked`, so a partial
-- snapshot shows the rank it published): one row per board (with its label) and snapshot date. Feeds the model page's small multiples.
SELECT arena, category, style_control, board_label(arena, category, style_control) AS board, as_of, rank_ordinal, rank_ub
FROM ranked
WHERE model = $model
ORDER BY arena, category, style_control, as_of;
