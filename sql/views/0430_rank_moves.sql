-- rank_moves: one row per rank_history row whose model appeared earlier on the same board: the change
-- versus that previous appearance (prev_as_of; usually the board's previous date, earlier when the model
-- was missing in between). Gains count places moved up (positive = better rank); rating_change and
-- votes_change are new minus old. `significant`: the move is beyond the CIs - the new and previous rating
-- intervals do not overlap, or rank_ub changed. A model's first appearance is in `entrants`, not here.
-- Ranks come from `ranked` (published ranks on partial snapshots, so ordinal_gain may be null there).
CREATE OR REPLACE VIEW rank_moves AS
WITH paired AS (
    SELECT
        h.leaderboard, h.arena, h.category, h.style_control, h.model, h.display_name, h.organization, h.as_of,
        h.rank_ordinal, h.rank_ub, h.rating, h.rating_lower, h.rating_upper, h.votes,
        lag(h.as_of) OVER w AS prev_as_of,
        lag(h.rank_ordinal) OVER w AS prev_rank_ordinal,
        lag(h.rank_ub) OVER w AS prev_rank_ub,
        lag(h.rating) OVER w AS prev_rating,
        lag(h.rating_lower) OVER w AS prev_rating_lower,
        lag(h.rating_upper) OVER w AS prev_rating_upper,
        lag(h.votes) OVER w AS prev_votes
    FROM ranked AS h
    WINDOW w AS (PARTITION BY h.leaderboard, h.arena, h.category, h.style_control, h.model ORDER BY h.as_of)
)
SELECT
    leaderboard, arena, category, style_control, model, display_name, organization,
    prev_as_of, as_of,
    prev_rank_ordinal, rank_ordinal, prev_rank_ordinal - rank_ordinal AS ordinal_gain,
    prev_rank_ub, rank_ub, prev_rank_ub - rank_ub AS ub_gain,
    prev_rating, rating, rating - prev_rating AS rating_change,
    prev_votes, votes, votes - prev_votes AS votes_change,
    coalesce(ci_disjoint(rating_lower, rating_upper, prev_rating_lower, prev_rating_upper), false)
        OR coalesce(rank_ub <> prev_rank_ub, false) AS significant,
    prev_rating_lower, prev_rating_upper, rating_lower, rating_upper
FROM paired
WHERE prev_as_of IS NOT NULL;
