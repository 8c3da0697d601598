-- rank_history for the lake: every row (all columns) plus `year` (of as_of), the partition key with
-- leaderboard, arena and category; with $since only the years from since's year on (null = every year).
SELECT *, year(as_of) AS year
FROM rank_history
WHERE CAST($since AS DATE) IS NULL OR year(as_of) >= year(CAST($since AS DATE))
