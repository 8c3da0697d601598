-- standings_resolved: every stored standing of every source, with canonical model and organisation.
-- One row per (snapshot, source model key). `model` follows model_aliases, so a merge or split made
-- with `tracker alias` shows in every view at once. `organization` is the model's canonical organisation
-- (models.org_key: the seed's, else the one keyed sources give most), so a model keeps one organisation
-- across sources and eras; a model without one falls back to the row's spelling through org_aliases.
CREATE OR REPLACE VIEW standings_resolved AS
SELECT
    sn.snapshot_id,
    sn.source,
    sn.leaderboard,
    sn.arena,
    sn.category,
    sn.style_control,
    sn.as_of AS as_of_at,
    sn.as_of_date AS as_of,
    sn.as_of_kind,
    sn.rank_meaning,
    sn.fetched_at,
    coalesce(ma.model_key, st.model_key) AS model,
    st.model_key AS source_key,
    coalesce(st.display_name, m.display_name, st.model_key) AS display_name,
    coalesce(om.display_name, o.display_name, nullif(trim(st.organization), '')) AS organization,
    coalesce(m.org_key, oa.org_key) AS org_key,
    st.license,
    st.rating,
    st.rating_lower,
    st.rating_upper,
    st.votes,
    st.rank_ordinal,
    st.rank_ub,
    st.rank_lb,
    st.rank_published,
    st.extra
FROM standings AS st
-- each snapshot's UTC date computed once per snapshot, not once per standing (15 M time zone conversions at
-- 10x history cost 0.6 s of every full read of this view)
JOIN (SELECT s.*, CAST(timezone('UTC', s.as_of) AS DATE) AS as_of_date FROM snapshots AS s) AS sn USING (snapshot_id)
LEFT JOIN model_aliases AS ma ON ma.alias = st.model_key
LEFT JOIN models AS m ON m.model_key = coalesce(ma.model_key, st.model_key)
LEFT JOIN org_aliases AS oa ON oa.alias = lower(trim(st.organization))
LEFT JOIN organizations AS o ON o.org_key = oa.org_key
LEFT JOIN organizations AS om ON om.org_key = m.org_key;
