-- Baseline, hand-written on the raw tables: the board as of from_date against the board as of to_date (each
-- its newest snapshot on or before the date), one row per source key whose ordinal rank changed, entered
-- or left.
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
-- $from_date DATE: the earlier date
-- $to_date DATE: the later date
WITH board AS (
    SELECT snapshot_id, CAST(as_of AS DATE) AS as_of
    FROM snapshots
    WHERE arena = $arena AND category = $category AND style_control = $style_control
),
a AS (
    SELECT st.* FROM standings AS st
    WHERE st.snapshot_id = (SELECT arg_max(snapshot_id, as_of) FROM board WHERE as_of <= $from_date)
),
b AS (
    SELECT st.* FROM standings AS st
    WHERE st.snapshot_id = (SELECT arg_max(snapshot_id, as_of) FROM board WHERE as_of <= $to_date)
)
SELECT coalesce(b.model_key, a.model_key) AS model,
       CASE WHEN a.model_key IS NULL THEN 'entrant' WHEN b.model_key IS NULL THEN 'leaver'
            WHEN b.rank_ordinal < a.rank_ordinal THEN 'riser' ELSE 'faller' END AS movement,
       a.rank_ordinal AS from_rank, b.rank_ordinal AS to_rank, a.rank_ordinal - b.rank_ordinal AS ordinal_gain,
       a.rating AS from_rating, b.rating AS to_rating
FROM a FULL OUTER JOIN b ON a.model_key = b.model_key
WHERE a.model_key IS NULL OR b.model_key IS NULL OR a.rank_ordinal <> b.rank_ordinal
ORDER BY movement, abs(ordinal_gain) DESC NULLS LAST, model;
