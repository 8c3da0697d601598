-- org_race_for(for_leaderboard, for_arena, for_category, for_style_control): table macro; org_race (0471_org_race.sql) of
-- one board (a null argument: every arena, category or style). One row per organisation, board and as-of date: its best ordinal rank
-- and best rank (UB), its best model (by ordinal rank, then key), how many of its models are in the top 10
-- by ordinal rank (top10) and by rank (UB) (top10_ub), how many it has on the board, and the board's next complete
-- date (next_as_of: null on its newest), so that the board as it stood on a day is a plain filter (as_of on
-- or before it, next_as_of after it). Rows without an organisation are left out (an empty organisation is
-- unknown, not one organisation), and so are partial snapshots.
CREATE OR REPLACE MACRO org_race_for(for_leaderboard, for_arena, for_category, for_style_control) AS TABLE
WITH grouped AS (
    SELECT
        h.leaderboard, h.arena, h.category, h.style_control, h.as_of, h.organization,
        min(h.rank_ordinal) AS best_rank,
        min(h.rank_ub) AS best_rank_ub,
        -- the best model and its name from one aggregate (ordinal rank, then key): two arg_min over the
        -- same key made the full publish's org_race statement 20-45% slower (1x)
        min({'rank': h.rank_ordinal, 'model': h.model, 'display_name': h.display_name}) AS best,
        max(h.rating) AS best_rating,
        count(*) FILTER (WHERE h.rank_ordinal <= 10) AS top10,
        count(*) FILTER (WHERE h.rank_ub <= 10) AS top10_ub,
        count(*) AS models,
        any_value(h.board_next_as_of) AS next_as_of
    FROM ranked AS h
    WHERE h.organization IS NOT NULL AND NOT h.partial
      AND (for_leaderboard IS NULL OR h.leaderboard = for_leaderboard) AND (for_arena IS NULL OR h.arena = for_arena) AND (for_category IS NULL OR h.category = for_category)
      AND (for_style_control IS NULL OR h.style_control = for_style_control)
    GROUP BY h.leaderboard, h.arena, h.category, h.style_control, h.as_of, h.organization
)
SELECT
    leaderboard, arena, category, style_control, as_of, organization, best_rank, best_rank_ub,
    best.model AS best_model, best.display_name AS best_display_name,
    best_rating, top10, top10_ub, models, next_as_of
FROM grouped;
