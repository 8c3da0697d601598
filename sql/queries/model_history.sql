-- One model's full history: one row per board and as-of date (ranks, rating with CI, votes, source, whether the snapshot was partial), with the places gained since its previous appearance on that board.
-- $model VARCHAR: the model key, e.g. mai-1-preview (case-insensitive)
-- $leaderboard VARCHAR = null: only this leaderboard (default: every leaderboard; e.g. aa)
-- $arena VARCHAR = null: only this arena (default: every arena)
-- $category VARCHAR = null: only this category (default: every category)
-- $style_control BOOLEAN = null: only style-controlled (true) or raw (false) boards (default: both)
SELECT
    h.leaderboard, h.arena, h.category, h.style_control, h.as_of,
    h.rank_ordinal, h.rank_ub,
    h.prev_rank_ordinal - h.rank_ordinal AS ordinal_gain,
    h.rating, h.rating_lower, h.rating_upper, h.votes, h.source, h.partial
FROM ranked AS h
WHERE h.model = lower(trim($model))
  AND (CAST($leaderboard AS VARCHAR) IS NULL OR h.leaderboard = $leaderboard)
  AND (CAST($arena AS VARCHAR) IS NULL OR h.arena = $arena)
  AND (CAST($category AS VARCHAR) IS NULL OR h.category = $category)
  AND (CAST($style_control AS BOOLEAN) IS NULL OR h.style_control = $style_control)
ORDER BY h.leaderboard, h.arena, h.category, h.style_control, h.as_of;
