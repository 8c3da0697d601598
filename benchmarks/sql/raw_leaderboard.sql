-- Baseline, hand-written on the raw tables: a board as of a date (its newest snapshot on or before it), one
-- row per source key, best first, with the places gained since each key's previous appearance.
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
-- $at DATE: the date
WITH board AS (
    SELECT snapshot_id, CAST(as_of AS DATE) AS as_of
    FROM snapshots
    WHERE arena = $arena AND category = $category AND style_control = $style_control
),
history AS (
    SELECT b.as_of, st.model_key, st.organization, st.rank_ordinal, st.rank_ub, st.rating, st.rating_lower,
           st.rating_upper, st.votes,
           lag(st.rank_ordinal) OVER w - st.rank_ordinal AS gain,
           lag(b.as_of) OVER w AS prev_as_of
    FROM standings AS st
    JOIN board AS b USING (snapshot_id)
    WINDOW w AS (PARTITION BY st.model_key ORDER BY b.as_of)
)
SELECT * FROM history
WHERE as_of = (SELECT max(as_of) FROM board WHERE as_of <= $at)
ORDER BY rank_ordinal, model_key;
