-- model_spans_for(for_leaderboard, for_arena, for_category, for_style_control): table macro; one row per model and board it
-- appeared on (a null argument: every arena, category or style): first and last as-of date, how many
-- dates it was listed, and its newest display name and organisation there. The model picker and the
-- model pages read it (model_spans) instead of aggregating the whole history per view; the read copy
-- stores it.
CREATE OR REPLACE MACRO model_spans_for(for_leaderboard, for_arena, for_category, for_style_control) AS TABLE
SELECT
    h.leaderboard, h.arena, h.category, h.style_control, h.model,
    min(h.as_of) AS first_as_of,
    max(h.as_of) AS last_as_of,
    count(*) AS appearances,
    arg_max(h.display_name, h.as_of) AS display_name,
    arg_max(h.organization, h.as_of) AS organization
FROM rank_history AS h
WHERE (for_leaderboard IS NULL OR h.leaderboard = for_leaderboard) AND (for_arena IS NULL OR h.arena = for_arena) AND (for_category IS NULL OR h.category = for_category)
  AND (for_style_control IS NULL OR h.style_control = for_style_control)
GROUP BY h.leaderboard, h.arena, h.category, h.style_control, h.model;
