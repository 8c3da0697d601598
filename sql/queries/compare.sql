-- Two models side by side: one row per board and as-of date on which both are listed (ranks, ratings, the rating gap and whether their CIs overlap).
-- $model_a VARCHAR: the first model key, e.g. mai-1-preview (case-insensitive)
-- $model_b VARCHAR: the second model key, e.g. gpt-4o-2024-05-13 (case-insensitive)
-- $leaderboard VARCHAR = null: only this leaderboard (default: every leaderboard; e.g. aa)
-- $arena VARCHAR = null: only this arena (default: every arena)
-- $category VARCHAR = null: only this category (default: every category)
-- $style_control BOOLEAN = null: only style-controlled (true) or raw (false) boards (default: both)
SELECT
    a.leaderboard, a.arena, a.category, a.style_control, a.as_of,
    a.rank_ordinal AS rank_a, b.rank_ordinal AS rank_b,
    a.rank_ub AS rank_ub_a, b.rank_ub AS rank_ub_b,
    a.rating AS rating_a, b.rating AS rating_b,
    a.rating - b.rating AS rating_gap,
    NOT ci_disjoint(a.rating_lower, a.rating_upper, b.rating_lower, b.rating_upper) AS ci_overlap
FROM ranked AS a
JOIN ranked AS b
    ON b.leaderboard = a.leaderboard AND b.arena = a.arena AND b.category = a.category AND b.style_control = a.style_control AND b.as_of = a.as_of
WHERE a.model = lower(trim($model_a)) AND b.model = lower(trim($model_b))
  AND (CAST($leaderboard AS VARCHAR) IS NULL OR a.leaderboard = $leaderboard)
  AND (CAST($arena AS VARCHAR) IS NULL OR a.arena = $arena)
  AND (CAST($category AS VARCHAR) IS NULL OR a.category = $category)
  AND (CAST($style_control AS BOOLEAN) IS NULL OR a.style_control = $style_control)
ORDER BY a.leaderboard, a.arena, a.category, a.style_control, a.as_of;
