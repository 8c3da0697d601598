-- A model's biggest rank moves: one row per move between consecutive appearances on a board, largest first.
-- $model VARCHAR: the model key (case-insensitive)
-- $limit INTEGER = 5: how many moves
SELECT arena, category, style_control, board_label(arena, category, style_control) AS board,
       prev_as_of, as_of, prev_rank_ordinal, rank_ordinal, ordinal_gain, rating_change, significant
FROM rank_moves
WHERE model = lower(trim($model)) AND ordinal_gain <> 0
ORDER BY abs(ordinal_gain) DESC, as_of, arena, category, style_control
LIMIT $limit;
