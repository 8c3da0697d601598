-- One model's ($model) ordinal rank and rank (UB) on every board over time (from `ranked`, so a partial
-- snapshot shows the rank it published): one row per board and snapshot date, with `panel` (arena/category)
-- and `style` ('raw' or 'style control') so a chart can draw both variants of a board in one panel.
SELECT leaderboard, arena, category, style_control,
       CASE WHEN leaderboard = 'LMArena' THEN '' ELSE leaderboard || ' · ' END || arena || '/' || category AS panel,
       CASE WHEN style_control THEN 'style control' ELSE 'raw' END AS style,
       as_of, rank_ordinal, rank_ub
FROM ranked
WHERE model = $model
ORDER BY leaderboard, arena, category, style_control, as_of;
