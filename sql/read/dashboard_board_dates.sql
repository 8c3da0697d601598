-- The snapshot dates of one board ($arena, $category, $style_control), newest first: one row per date.
SELECT as_of
FROM board_dates
WHERE arena = $arena AND category = $category AND style_control = $style_control
ORDER BY as_of DESC;
