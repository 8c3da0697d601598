-- chosen_snapshots: for each board and as-of date, the one snapshot rank_history shows. Whole boards
-- first: a snapshot with less than half the rows of that day's largest one for the board (a pruned API
-- page, a scrape of one model's rows) never hides a whole board. Then the source with the best
-- precedence (source_precedence: official dataset > live page > arena-catalog > community archives),
-- then the latest as-of time that day, then the latest fetch.
CREATE OR REPLACE VIEW chosen_snapshots AS
WITH dated AS (
    SELECT s.*, CAST(timezone('UTC', s.as_of) AS DATE) AS as_of_date
    FROM snapshots AS s
),
sized AS (
    SELECT d.*,
           d.row_count * 2 < max(d.row_count) OVER (PARTITION BY d.leaderboard, d.arena, d.category, d.style_control, d.as_of_date)
               AS fragment
    FROM dated AS d
)
SELECT z.* EXCLUDE (fragment)
FROM sized AS z
LEFT JOIN source_precedence AS p USING (source)
QUALIFY row_number() OVER (
    PARTITION BY z.leaderboard, z.arena, z.category, z.style_control, z.as_of_date
    ORDER BY z.fragment, coalesce(p.precedence, 1000), z.as_of DESC, z.fetched_at DESC, z.snapshot_id DESC
) = 1;
