-- org_race: one row per organisation, board and as-of date: its best ordinal rank and best rank (UB),
-- its best model (by ordinal rank, then key), how many of its models are in the top 10 by ordinal rank
-- (top10) and by rank (UB) (top10_ub), and how many it has on the board. Rows without an organisation are
-- left out (an empty organisation is unknown, not one organisation), and so are partial snapshots.
CREATE OR REPLACE VIEW org_race AS
SELECT
    h.arena, h.category, h.style_control, h.as_of, h.organization,
    min(h.rank_ordinal) AS best_rank,
    min(h.rank_ub) AS best_rank_ub,
    arg_min(h.model, (h.rank_ordinal, h.model)) AS best_model,
    arg_min(h.display_name, (h.rank_ordinal, h.model)) AS best_display_name,
    max(h.rating) AS best_rating,
    count(*) FILTER (WHERE h.rank_ordinal <= 10) AS top10,
    count(*) FILTER (WHERE h.rank_ub <= 10) AS top10_ub,
    count(*) AS models
FROM ranked AS h
WHERE h.organization IS NOT NULL AND NOT h.partial
GROUP BY h.arena, h.category, h.style_control, h.as_of, h.organization;
