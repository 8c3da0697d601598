-- When ranked.sql recomputes whole boards (a full publish, or a board whose identity resolution changed), or
-- dates among a board's others (their previous appearances are set after, update_ranked_prev.sql): an empty
-- kept_history with rank_history's columns (LIMIT 0 runs nothing of the view).
SELECT * FROM rank_history LIMIT 0
