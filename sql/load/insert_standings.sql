-- Store the rows of the new snapshots (registered frame new_standings), with the tracker's own ranks
-- (tracker/ranks.py: rank_ordinal, rank_ub, rank_lb, computed per snapshot before this insert).
INSERT INTO standings
SELECT snapshot_id, model_key, display_name, organization, license,
       rating, rating_lower, rating_upper, votes, rank_published,
       rank_ordinal, rank_ub, rank_lb, extra::JSON
FROM new_standings;
