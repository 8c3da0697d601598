-- Standings of one source in the canonical frame's columns, for the starter-history export:
-- the boards listed in $boards (a list of {leaderboard, arena, category}; raw and style-controlled both),
-- ordered for good compression.
-- Snapshots stamped with the moment they were imported (a local copy with no date of its own, e.g.
-- the arena-catalog file as it stands) are left out: the starter carries only dated figures.
SELECT sn.leaderboard, sn.arena, sn.category, sn.style_control, sn.as_of, sn.as_of_kind, sn.rank_meaning,
       st.model_key, st.display_name, st.organization, st.license,
       st.rating, st.rating_lower, st.rating_upper, st.votes, st.rank_published, st.extra::VARCHAR AS extra
FROM standings AS st
JOIN snapshots AS sn USING (snapshot_id)
WHERE sn.source = $source
  AND list_contains($boards, {'leaderboard': sn.leaderboard, 'arena': sn.arena, 'category': sn.category})
  AND NOT (sn.as_of_kind = 'capture_time' AND abs(epoch(sn.fetched_at) - epoch(sn.as_of)) < 86400)
ORDER BY sn.leaderboard, sn.arena, sn.category, sn.style_control, sn.as_of, st.model_key;
