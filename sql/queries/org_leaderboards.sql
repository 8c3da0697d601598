-- One organisation across leaderboards: one row per board, model and date on which one of its models is ranked (rank, rank (UB), rating and CI, votes, and how many models the board listed), on each arena's overall board (or every board of an arena without one), so each board is one small chart of its models over time.
-- $organization VARCHAR = 'Microsoft AI': the organisation as shown, its key or any spelling, e.g. 'Microsoft AI' (case-insensitive)
-- $leaderboard VARCHAR = null: only this leaderboard (default: every leaderboard; e.g. aa)
-- $every_category BOOLEAN = false: every category of every arena, not only the overall boards
-- $since DATE = null: only dates on or after this one
WITH mine AS (
    SELECT r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.model, r.display_name,
           r.rank_ordinal, r.rank_ub, r.rating, r.rating_lower, r.rating_upper, r.votes, r.source
    FROM ranked AS r
    WHERE lower(r.organization) = lower(trim($organization))
      AND (CAST($leaderboard AS VARCHAR) IS NULL OR r.leaderboard = $leaderboard)
      AND (CAST($since AS DATE) IS NULL OR r.as_of >= $since)
),
-- an arena's overall board stands for it; an arena without one (the LLM leaderboard's indices) shows each board
shown AS (
    SELECT DISTINCT m.leaderboard, m.arena, m.category, m.style_control
    FROM mine AS m
    WHERE $every_category
       OR m.category = 'overall'
       OR NOT EXISTS (
           SELECT 1 FROM board_dates AS d
           WHERE d.leaderboard = m.leaderboard AND d.arena = m.arena AND d.category = 'overall'
       )
)
SELECT m.leaderboard, m.arena, m.category, m.style_control,
       board_label(m.leaderboard, m.arena, m.category, m.style_control) AS board,
       m.model, m.display_name, m.as_of, m.rank_ordinal, m.rank_ub, m.rating, m.rating_lower, m.rating_upper,
       m.votes, d.row_count AS board_models, m.source
FROM mine AS m
SEMI JOIN shown AS s USING (leaderboard, arena, category, style_control)
JOIN board_dates AS d
    ON d.leaderboard = m.leaderboard AND d.arena = m.arena AND d.category = m.category
   AND d.style_control = m.style_control AND d.as_of = m.as_of
ORDER BY m.leaderboard <> 'LMArena', m.leaderboard, m.arena, m.category, m.style_control, m.model, m.as_of;
