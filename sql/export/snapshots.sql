-- snapshots for the lake: one row per stored snapshot of every source (not only the chosen ones), with
-- as_of_date, `chosen` (rank_history shows this snapshot for its board and date) and `year`, the partition
-- key with leaderboard, arena and category; with $since only the years from since's year on (null = every year).
SELECT s.*, CAST(timezone('UTC', s.as_of) AS DATE) AS as_of_date,
       s.snapshot_id IN (SELECT c.snapshot_id FROM chosen_snapshots AS c) AS chosen,
       year(CAST(timezone('UTC', s.as_of) AS DATE)) AS year
FROM snapshots AS s
WHERE CAST($since AS DATE) IS NULL
   OR year(CAST(timezone('UTC', s.as_of) AS DATE)) >= year(CAST($since AS DATE))
