-- The complete snapshot dates of every board: one row per board and date (leaderboard, arena, category, style_control,
-- `panel` as arena/category and `style` as 'raw' or 'style control', as dashboard_model_history names them, and
-- `board`, its board_label),
-- oldest first. The charts break a line where a board went long without a snapshot.
SELECT leaderboard, arena, category, style_control,
       CASE WHEN leaderboard = 'LMArena' THEN '' ELSE leaderboard || ' · ' END || arena || '/' || category AS panel,
       CASE WHEN style_control THEN 'style control' ELSE 'raw' END AS style,
       board_label(leaderboard, arena, category, style_control) AS board,
       as_of
FROM board_dates
WHERE NOT partial
ORDER BY leaderboard, arena, category, style_control, as_of;
