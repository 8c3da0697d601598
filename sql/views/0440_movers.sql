-- movers_on(leaderboard, arena, category, style_control, from_date, to_date): table macro behind movers (0441); the board as of from_date
-- compared with the board as of to_date (each: the newest as-of date on or before that day; to_date null =
-- now). One row per model that moved: movement = 'riser' | 'faller' (ordinal rank better | worse),
-- 'entrant' (listed at to_date, not at from_date), 'leaver' (listed at from_date, not at to_date); models
-- whose rank did not change are left out. ordinal_gain = places moved up; `significant` as in rank_moves.
-- Sorted: entrants, risers (biggest first), fallers (biggest first), leavers.
CREATE OR REPLACE MACRO movers_on(leaderboard, arena, category, style_control, from_date, to_date) AS TABLE
WITH
    a AS (FROM board_as_of_on(leaderboard, arena, category, style_control, from_date)),
    b AS (FROM board_as_of_on(leaderboard, arena, category, style_control, to_date)),
    compared AS (
        SELECT
            coalesce(b.model, a.model) AS model,
            coalesce(b.display_name, a.display_name) AS display_name,
            coalesce(b.organization, a.organization) AS organization,
            CASE
                WHEN a.model IS NULL THEN 'entrant'
                WHEN b.model IS NULL THEN 'leaver'
                WHEN b.rank_ordinal < a.rank_ordinal THEN 'riser'
                WHEN b.rank_ordinal > a.rank_ordinal THEN 'faller'
                ELSE 'steady'
            END AS movement,
            a.as_of AS from_as_of, b.as_of AS to_as_of,
            a.rank_ordinal AS from_rank, b.rank_ordinal AS to_rank,
            a.rank_ordinal - b.rank_ordinal AS ordinal_gain,
            a.rank_ub AS from_rank_ub, b.rank_ub AS to_rank_ub,
            a.rating AS from_rating, b.rating AS to_rating,
            b.rating - a.rating AS rating_change,
            b.votes AS to_votes,
            coalesce(ci_disjoint(b.rating_lower, b.rating_upper, a.rating_lower, a.rating_upper), false)
                OR coalesce(b.rank_ub <> a.rank_ub, false) AS significant
        FROM a FULL OUTER JOIN b ON a.model = b.model
    )
SELECT
    leaderboard AS leaderboard, arena AS arena, category AS category, style_control AS style_control, compared.*
FROM compared
WHERE compared.movement <> 'steady'
ORDER BY
    CASE compared.movement WHEN 'entrant' THEN 1 WHEN 'riser' THEN 2 WHEN 'faller' THEN 3 ELSE 4 END,
    abs(compared.ordinal_gain) DESC NULLS LAST,
    coalesce(compared.to_rank, compared.from_rank),
    compared.model;
