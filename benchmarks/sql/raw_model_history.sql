-- Baseline, hand-written on the raw tables: one source key's rows on one board, oldest first, with the
-- places gained since its previous appearance (no identity resolution, no choice between sources).
-- $model VARCHAR: the source's model key
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
SELECT CAST(sn.as_of AS DATE) AS as_of, st.rank_ordinal, st.rank_ub,
       lag(st.rank_ordinal) OVER (ORDER BY sn.as_of) - st.rank_ordinal AS ordinal_gain,
       st.rating, st.rating_lower, st.rating_upper, st.votes, sn.source
FROM standings AS st
JOIN snapshots AS sn USING (snapshot_id)
WHERE st.model_key = $model AND sn.arena = $arena AND sn.category = $category
  AND sn.style_control = $style_control
ORDER BY sn.as_of;
