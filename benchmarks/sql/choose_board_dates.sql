-- The complete board dates of one board, oldest first: one row per as-of date (harness: picks past dates).
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
SELECT as_of
FROM board_dates
WHERE arena = $arena AND category = $category AND style_control = $style_control AND NOT partial
ORDER BY as_of;
