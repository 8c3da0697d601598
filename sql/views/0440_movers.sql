-- movers_on(leaderboard, arena, category, style_control, from_date, to_date): table macro behind movers (0441); the board as of from_date
-- compared with the board as of to_date (each: the newest complete as-of date on or before that day, as
-- board_as_of; either null = now). One row per model that moved: movement = 'riser' | 'faller' (ordinal rank better | worse),
-- 'entrant' (listed at to_date, not at from_date), 'leaver' (listed at from_date, not at to_date); models
-- whose rank did not change are left out. ordinal_gain = places moved up; `significant` as in rank_moves.
-- Sorted: entrants, risers (biggest first), fallers (biggest first), leavers.
CREATE OR REPLACE MACRO movers_on(leaderboard, arena, category, style_control, from_date, to_date) AS TABLE
WITH
    -- both boards in one scan of the board's rows: each date's rows picked by the row's own board context
    -- (a complete date on or before the day whose next complete date comes after it, or there is none), as
    -- the leaderboard query picks them, rather than two board_as_of_on, each a scan and a scalar subquery
    sides AS (
        SELECT
            h.model, h.display_name, h.organization, h.as_of, h.rank_ordinal, h.rank_ub, h.rating,
            h.rating_lower, h.rating_upper, h.votes,
            stood_on(h.as_of, h.board_next_as_of, from_date) AS on_from,
            stood_on(h.as_of, h.board_next_as_of, to_date) AS on_to
        FROM ranked AS h
        WHERE h.leaderboard = leaderboard AND h.arena = arena AND h.category = category AND h.style_control = style_control
          AND NOT h.partial
          AND (stood_on(h.as_of, h.board_next_as_of, from_date) OR stood_on(h.as_of, h.board_next_as_of, to_date))
    ),
    a AS (FROM sides WHERE on_from),
    b AS (FROM sides WHERE on_to),
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
