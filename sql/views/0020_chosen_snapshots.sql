-- chosen_snapshots: for each board and as-of date, the one snapshot rank_history shows: the source
-- with the best precedence (source_precedence: official dataset > live page > arena-catalog >
-- community archives), then the latest as-of time that day, then the latest fetch.
CREATE OR REPLACE VIEW chosen_snapshots AS
SELECT s.*, CAST(timezone('UTC', s.as_of) AS DATE) AS as_of_date
FROM snapshots AS s
LEFT JOIN source_precedence AS p USING (source)
QUALIFY row_number() OVER (
    PARTITION BY s.arena, s.category, s.style_control, CAST(timezone('UTC', s.as_of) AS DATE)
    ORDER BY coalesce(p.precedence, 1000), s.as_of DESC, s.fetched_at DESC, s.snapshot_id DESC
) = 1;
