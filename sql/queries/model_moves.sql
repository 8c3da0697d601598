-- A model's biggest rank moves: one row per move between consecutive appearances on a board, largest first; by ordinal rank, or by rank (UB) where only that is known (partial snapshots).
-- $model VARCHAR: the model key, e.g. mai-1-preview (case-insensitive)
-- $limit INTEGER >= 1 = 5: how many moves
SELECT
    leaderboard, arena, category, style_control, board_label(leaderboard, arena, category, style_control) AS board,
    prev_as_of, as_of,
    CASE WHEN ordinal_gain IS NOT NULL THEN 'ordinal' ELSE 'ub' END AS basis,
    coalesce(ordinal_gain, ub_gain) AS gain,
    CASE WHEN ordinal_gain IS NOT NULL THEN prev_rank_ordinal ELSE prev_rank_ub END AS prev_rank,
    CASE WHEN ordinal_gain IS NOT NULL THEN rank_ordinal ELSE rank_ub END AS rank,
    rating_change, significant
FROM rank_moves
WHERE model = lower(trim($model)) AND coalesce(ordinal_gain, ub_gain) <> 0
ORDER BY abs(coalesce(ordinal_gain, ub_gain)) DESC, as_of, leaderboard, arena, category, style_control
LIMIT $limit;
