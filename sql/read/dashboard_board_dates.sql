-- The snapshot dates of one board ($arena, $category, $style_control), newest first: one row per date, with
-- `partial` (the snapshot lists too few of its models to stand for the whole board).
SELECT as_of, partial
FROM board_dates
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
ORDER BY as_of DESC;
