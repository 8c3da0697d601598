-- Baseline, hand-written on the raw tables: one row per reign at ordinal #1 on one board (a run of
-- consecutive snapshots with the same source key at #1): start, last date held, end, days, snapshots.
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
WITH board AS (
    SELECT snapshot_id, CAST(as_of AS DATE) AS as_of,
           row_number() OVER (ORDER BY as_of) AS seq,
           lead(CAST(as_of AS DATE)) OVER (ORDER BY as_of) AS next_as_of,
           max(CAST(as_of AS DATE)) OVER () AS newest
    FROM snapshots
    WHERE arena = $arena AND category = $category AND style_control = $style_control
),
held AS (
    SELECT st.model_key, b.as_of, b.next_as_of, b.newest,
           b.seq - row_number() OVER (PARTITION BY st.model_key ORDER BY b.as_of) AS island,
           count(*) OVER (PARTITION BY b.as_of) AS holders
    FROM standings AS st
    JOIN board AS b USING (snapshot_id)
    WHERE st.rank_ordinal = 1
)
SELECT model_key AS model, min(as_of) AS reign_start, max(as_of) AS last_held,
       arg_max(next_as_of, as_of) AS reign_end,
       coalesce(arg_max(next_as_of, as_of), max(newest)) - min(as_of) AS days,
       count(*) AS snapshots, max(holders) > 1 AS shared
FROM held
GROUP BY model_key, island
ORDER BY reign_start, model;
